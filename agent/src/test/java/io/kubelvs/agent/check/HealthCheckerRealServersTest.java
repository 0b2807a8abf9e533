package io.kubelvs.agent.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.check.HealthEvent.RealServerDown;
import io.kubelvs.agent.check.HealthEvent.RealServerUp;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole checker on the real event loop with the real probers, against real HTTP servers on
 * loopback: the seed's two web servers checked by HTTP GET / expecting 200, and its sorry server.
 */
class HealthCheckerRealServersTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final InetSocketAddress SORRY = new InetSocketAddress("127.0.0.9", 80);

  final AtomicReference<HttpTestServer.Behavior> web1 = new AtomicReference<>(ok());
  final AtomicReference<HttpTestServer.Behavior> web2 = new AtomicReference<>(ok());
  final List<DesiredDestinations> destinations = new CopyOnWriteArrayList<>();
  final List<HealthEvent> events = new CopyOnWriteArrayList<>();
  Probers probers;
  HealthChecker checker;
  HttpTestServer server1;
  HttpTestServer server2;

  @BeforeEach
  void start() throws Exception {
    server1 =
        HttpTestServer.start(InetAddress.getByName("127.0.0.2"), (s, o) -> web1.get().act(s, o));
    server2 =
        HttpTestServer.start(InetAddress.getByName("127.0.0.3"), (s, o) -> web2.get().act(s, o));
    probers = Probers.start();
    checker =
        new HealthChecker(
            new EventLoopCheckTimer(probers.eventLoops().group().next()),
            probers,
            InstantSource.system(),
            new Random(7),
            new HealthListener() {
              @Override
              public void onDestinations(DesiredDestinations reported) {
                destinations.add(reported);
              }

              @Override
              public void onEvent(HealthEvent event) {
                events.add(event);
              }
            });
  }

  @AfterEach
  void stop() throws Exception {
    if (checker != null) {
      checker.close();
    }
    if (probers != null) {
      probers.close();
    }
    server1.close();
    server2.close();
  }

  @Test
  void realServersLeaveOnFailureTheSorryServerTakesOverAndTheyComeBack() throws Exception {
    checker.apply(List.of(seedVirtualServer()));
    await(() -> latest().equals(Map.of(server1.address(), 1, server2.address(), 1)), "both up");

    server1.close();
    await(() -> latest().equals(Map.of(server2.address(), 1)), "web1 leaves");
    assertThat(lastDown(server1.address()).reason()).isEqualTo("connection refused");

    web2.set(HttpTestServer.respond(HttpTestServer.response(503, "maintenance")));
    await(() -> latest().equals(Map.of(SORRY, 1)), "the sorry server takes the traffic");
    assertThat(lastDown(server2.address()).reason()).isEqualTo("HTTP 503");
    assertThat(destinations.get(destinations.size() - 1).sorryServerActive()).isTrue();

    web2.set(ok());
    await(() -> latest().equals(Map.of(server2.address(), 1)), "web2 back, the sorry server out");
    assertThat(events)
        .anyMatch(e -> e instanceof RealServerUp up && up.reason().equals("HTTP 200"));
  }

  @Test
  void aServerThatNeverAnswersIsDownAfterTheConnectTimeoutWhileTheOtherStaysUp() throws Exception {
    checker.apply(List.of(seedVirtualServer()));
    await(() -> latest().size() == 2, "both up");

    web1.set(server1.neverAnswer());

    await(() -> latest().equals(Map.of(server2.address(), 1)), "web1 leaves");
    assertThat(lastDown(server1.address()).reason()).isEqualTo("no response within 300ms");
    assertThat(checker.snapshot().toString()).contains("no response within 300ms");
  }

  /** The seed, faster: HTTP_GET / expecting 200, one retry, a sorry server. */
  private VirtualServerChecks seedVirtualServer() {
    CheckTiming timing =
        new CheckTiming(
            Duration.ofMillis(200),
            Duration.ofMillis(300),
            1,
            Duration.ofMillis(100),
            Optional.of(Duration.ofMillis(50)),
            false);
    HttpGetCheck get = HttpGetCheck.of("/");
    return VirtualServerChecks.of(
            "198.18.0.50:80/TCP",
            List.of(
                RealServerCheck.of(server1.address(), 1, get, timing),
                RealServerCheck.of(server2.address(), 1, get, timing)))
        .withSorryServer(new SorryServer(SORRY, false));
  }

  private static HttpTestServer.Behavior ok() {
    return HttpTestServer.respond(HttpTestServer.response(200, "hello"));
  }

  private Map<InetSocketAddress, Integer> latest() {
    return destinations.isEmpty()
        ? Map.of()
        : destinations.get(destinations.size() - 1).destinations();
  }

  private RealServerDown lastDown(InetSocketAddress server) {
    RealServerDown last = null;
    for (HealthEvent event : events) {
      if (event instanceof RealServerDown down && down.realServer().equals(server)) {
        last = down;
      }
    }
    assertThat(last).as("a down event of " + server + " in " + events).isNotNull();
    return last;
  }

  private void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline)
          .as("within %s: %s; destinations %s; events %s", WAIT, what, destinations, events)
          .isNegative();
      Thread.sleep(20);
    }
  }
}
