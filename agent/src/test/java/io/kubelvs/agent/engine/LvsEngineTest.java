package io.kubelvs.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubelvs.agent.check.CheckConfigException;
import io.kubelvs.agent.check.CheckTiming;
import io.kubelvs.agent.check.EventLoopCheckTimer;
import io.kubelvs.agent.check.HealthEvent;
import io.kubelvs.agent.check.MiscCheck;
import io.kubelvs.agent.check.Probers;
import io.kubelvs.agent.check.RealServerCheck;
import io.kubelvs.agent.check.SorryServer;
import io.kubelvs.agent.check.VirtualServerChecks;
import io.kubelvs.agent.config.VirtualServerConfig;
import io.kubelvs.agent.ipvs.FakeIpvsTable;
import io.kubelvs.agent.ipvs.Forwarding;
import io.kubelvs.agent.ipvs.InMemoryOwnedServicesStore;
import io.kubelvs.agent.ipvs.IpvsException;
import io.kubelvs.agent.ipvs.IpvsProtocol;
import io.kubelvs.agent.ipvs.IpvsReconciler;
import io.kubelvs.agent.ipvs.IpvsService;
import io.kubelvs.agent.ipvs.ObservedDestination;
import io.kubelvs.agent.ipvs.ObservedService;
import io.kubelvs.agent.ipvs.ServiceKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's LVS half with real checks (MISC_CHECK commands the test switches by a file) and an
 * in-memory IPVS table; the kernel's own table is proven by the IPVS reconciler's VM tests.
 */
class LvsEngineTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final CheckTiming FAST =
      new CheckTiming(
          Duration.ofMillis(100),
          Duration.ofSeconds(1),
          0,
          Duration.ofMillis(100),
          Optional.of(Duration.ZERO),
          false);

  @TempDir Path dir;

  private final FakeIpvsTable table = new FakeIpvsTable();
  private final List<HealthEvent> events = new CopyOnWriteArrayList<>();
  private Probers probers;
  private LvsEngine engine;

  @BeforeEach
  void start() {
    probers = Probers.start();
    engine =
        new LvsEngine(
            new IpvsReconciler(table, new InMemoryOwnedServicesStore()),
            new EventLoopCheckTimer(probers.eventLoops().group().next()),
            probers,
            InstantSource.system(),
            RandomGenerator.of("L64X128MixRandom"),
            events::add);
  }

  @AfterEach
  void stop() {
    engine.close();
    probers.close();
  }

  @Test
  void theTableFollowsTheChecksDownToTheSorryServerAndBack() throws Exception {
    Path a = Files.createFile(dir.resolve("a-up"));
    Path b = Files.createFile(dir.resolve("b-up"));
    engine.apply(List.of(seedLike(a, b)));

    awaitTable(Map.of("198.18.0.101:80", 1, "198.18.0.102:80", 1));

    Files.delete(b);
    awaitTable(Map.of("198.18.0.101:80", 1));

    Files.delete(a);
    awaitTable(Map.of("127.0.0.1:80", 1));
    assertThat(events).anyMatch(e -> e instanceof HealthEvent.QuorumLost);

    Files.createFile(a);
    awaitTable(Map.of("198.18.0.101:80", 1));
  }

  @Test
  void aVirtualServerLeftOutOfTheNextConfigurationLeavesTheTable() throws Exception {
    Path a = Files.createFile(dir.resolve("a-up"));
    Path b = Files.createFile(dir.resolve("b-up"));
    engine.apply(List.of(seedLike(a, b)));
    awaitTable(Map.of("198.18.0.101:80", 1, "198.18.0.102:80", 1));

    engine.apply(List.of());

    await(() -> table.services().isEmpty(), "the service removed");
  }

  @Test
  void anInvalidConfigurationIsRefusedAndTheRunningOneStays() throws Exception {
    Path a = Files.createFile(dir.resolve("a-up"));
    Path b = Files.createFile(dir.resolve("b-up"));
    VirtualServerConfig good = seedLike(a, b);
    engine.apply(List.of(good));
    awaitTable(Map.of("198.18.0.101:80", 1, "198.18.0.102:80", 1));

    VirtualServerConfig broken =
        new VirtualServerConfig(
            good.service(),
            good.forwarding(),
            good.checks().withQuorum(-1, VirtualServerChecks.DEFAULT_HYSTERESIS));

    assertThatThrownBy(() -> engine.apply(List.of(broken)))
        .isInstanceOf(CheckConfigException.class)
        .hasMessageContaining("quorum");
    Files.delete(b);
    awaitTable(Map.of("198.18.0.101:80", 1));
  }

  @Test
  void aRefusedReconcileIsRetriedUntilTheTableIsRight() throws Exception {
    Path a = Files.createFile(dir.resolve("a-up"));
    Path b = Files.createFile(dir.resolve("b-up"));
    table.refuse(1, new IpvsException("IPVS_CMD_NEW_SERVICE 198.18.0.50:80/TCP: ENOMEM"));

    engine.apply(List.of(seedLike(a, b)));

    await(() -> engine.lastOutcome().failure().isPresent(), "a failed reconcile");
    assertThat(engine.lastOutcome().failure().get()).contains("ENOMEM");
    awaitTable(Map.of("198.18.0.101:80", 1, "198.18.0.102:80", 1));
    await(() -> engine.lastOutcome().failure().isEmpty(), "the failure cleared");
  }

  @Test
  void flushOnStopRemovesTheOwnedServicesOnly() throws Exception {
    IpvsService foreign =
        IpvsService.of(
            new ServiceKey.Address(IpvsProtocol.TCP, InetAddress.getByName("198.18.0.99"), 80),
            "wlc");
    table.program(foreign);
    Path a = Files.createFile(dir.resolve("a-up"));
    Path b = Files.createFile(dir.resolve("b-up"));
    engine.apply(List.of(seedLike(a, b)));
    awaitTable(Map.of("198.18.0.101:80", 1, "198.18.0.102:80", 1));

    engine.flushAndClose();

    assertThat(table.services()).extracting(s -> s.service().key()).containsExactly(foreign.key());
  }

  /** The seed's shape on lab addresses: two checked real servers under DR, a sorry server. */
  private static VirtualServerConfig seedLike(Path aUp, Path bUp) throws Exception {
    ServiceKey key =
        new ServiceKey.Address(IpvsProtocol.TCP, InetAddress.getByName("198.18.0.50"), 80);
    VirtualServerChecks checks =
        VirtualServerChecks.of(
                key.toString(),
                List.of(
                    RealServerCheck.of(endpoint("198.18.0.101"), 1, exists(aUp), FAST),
                    RealServerCheck.of(endpoint("198.18.0.102"), 1, exists(bUp), FAST)))
            .withSorryServer(new SorryServer(endpoint("127.0.0.1"), false));
    return new VirtualServerConfig(IpvsService.of(key, "rr"), Forwarding.DR, checks);
  }

  private static MiscCheck exists(Path flag) {
    return new MiscCheck("test -e " + flag, Duration.ofSeconds(2), false);
  }

  private static InetSocketAddress endpoint(String ip) throws Exception {
    return new InetSocketAddress(InetAddress.getByName(ip), 80);
  }

  /**
   * Waits until the one service's destinations are exactly {@code expected} (address -> weight).
   */
  private void awaitTable(Map<String, Integer> expected) throws Exception {
    await(() -> destinations().equals(new TreeMap<>(expected)), "destinations " + expected);
  }

  private Map<String, Integer> destinations() {
    Map<String, Integer> found = new TreeMap<>();
    for (ObservedService service : table.services()) {
      for (ObservedDestination d : table.destinations(service.service().key())) {
        found.put(
            d.destination().address().getHostAddress() + ":" + d.destination().port(),
            d.destination().weight());
      }
    }
    return found;
  }

  private void await(Supplier<Boolean> condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "not within "
                + WAIT
                + ": "
                + what
                + "; table has "
                + destinations()
                + ", last reconcile "
                + engine.lastOutcome());
      }
      Thread.sleep(20);
    }
  }
}
