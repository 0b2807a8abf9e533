package io.kubelvs.agent.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubelvs.agent.check.CheckTimer;
import io.kubelvs.agent.check.CheckTiming;
import io.kubelvs.agent.check.EventLoopCheckTimer;
import io.kubelvs.agent.check.MiscCheck;
import io.kubelvs.agent.check.Probers;
import io.kubelvs.agent.check.RealServerCheck;
import io.kubelvs.agent.check.SorryServer;
import io.kubelvs.agent.check.VirtualServerChecks;
import io.kubelvs.agent.config.VirtualServerConfig;
import io.kubelvs.agent.engine.DirectorEngine;
import io.kubelvs.agent.engine.LvsEngine;
import io.kubelvs.agent.engine.VrrpEngine;
import io.kubelvs.agent.ipvs.FakeIpvsTable;
import io.kubelvs.agent.ipvs.Forwarding;
import io.kubelvs.agent.ipvs.InMemoryOwnedServicesStore;
import io.kubelvs.agent.ipvs.IpvsProtocol;
import io.kubelvs.agent.ipvs.IpvsReconciler;
import io.kubelvs.agent.ipvs.IpvsService;
import io.kubelvs.agent.ipvs.IpvsStats;
import io.kubelvs.agent.ipvs.ServiceKey;
import io.kubelvs.agent.vrrp.MonotonicClock;
import io.kubelvs.agent.vrrp.VipStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP endpoints over a running LVS engine: real checks (MISC_CHECK commands the test switches
 * by a file), an in-memory IPVS table with counters the test sets in place of the kernel's.
 */
class ObserveServerTest {
  private static final String VS = "198.18.0.50:80/TCP";
  private static final String A = "198.18.0.101:80";
  private static final String B = "198.18.0.102:80";
  private static final CheckTiming FAST =
      new CheckTiming(
          Duration.ofMillis(100),
          Duration.ofSeconds(1),
          0,
          Duration.ofMillis(100),
          Optional.of(Duration.ZERO),
          false);

  @TempDir Path dir;

  private final CountingKernel kernel = new CountingKernel(new FakeIpvsTable());
  private volatile boolean checkerDeafToScrapes;
  private volatile Optional<String> notReady = Optional.of("no configuration applied yet");
  private Probers probers;
  private DirectorEngine engine;
  private ObserveServer server;
  private ObserveClient client;
  private Path aUp;
  private Path bUp;

  @BeforeEach
  void start() throws Exception {
    probers = Probers.start();
    LvsEngine lvs =
        new LvsEngine(
            new IpvsReconciler(kernel.reconcilerView(), new InMemoryOwnedServicesStore()),
            deafToScrapes(new EventLoopCheckTimer(probers.eventLoops().group().next())),
            probers,
            InstantSource.system(),
            RandomGenerator.of("L64X128MixRandom"),
            event -> {});
    VrrpEngine vrrp = new VrrpEngine(i -> VipStore.inMemory(), MonotonicClock.system(), c -> {});
    engine = new DirectorEngine(vrrp, lvs);
    server =
        ObserveServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            DirectorObserver.attach(engine, kernel::open),
            () -> notReady);
    client = new ObserveClient(server.address());
    aUp = Files.createFile(dir.resolve("a-up"));
    bUp = Files.createFile(dir.resolve("b-up"));
  }

  @AfterEach
  void stop() {
    try {
      server.close();
      engine.close();
    } finally {
      probers.close();
    }
  }

  @Test
  void metricsShowEachRealServersHealthAndTheKernelsCounters() throws Exception {
    kernel.count(VS, stats(7, 70, 60, 7000, 60000));
    kernel.count(VS + " " + A, stats(4, 40, 35, 4000, 35000));
    engine.lvs().apply(List.of(virtualServer(true)));

    Await.until(
        () -> client.metrics().containsKey(ipvs("destination_connections_total", B)),
        "b in the kernel");
    Await.until(
        () -> checks(client.metrics(), A) > 0 && checks(client.metrics(), B) > 0, "checked");
    Map<String, Double> m = client.metrics();

    assertThat(m)
        .containsEntry(rs("kubelvs_real_server_up", A), 1.0)
        .containsEntry(rs("kubelvs_real_server_up", B), 1.0)
        .containsEntry(rs("kubelvs_real_server_weight", A), 1.0)
        .containsEntry(vs("kubelvs_virtual_server_healthy_weight"), 2.0)
        .containsEntry(vs("kubelvs_virtual_server_quorum_up"), 1.0)
        .containsEntry(vs("kubelvs_virtual_server_sorry_server_active"), 0.0)
        .containsEntry(vs("kubelvs_ipvs_service_connections_total"), 7.0)
        .containsEntry(directed("kubelvs_ipvs_service_packets_total", "in", null), 70.0)
        .containsEntry(directed("kubelvs_ipvs_service_packets_total", "out", null), 60.0)
        .containsEntry(directed("kubelvs_ipvs_service_bytes_total", "in", null), 7000.0)
        .containsEntry(directed("kubelvs_ipvs_service_bytes_total", "out", null), 60000.0)
        .containsEntry(ipvs("destination_connections_total", A), 4.0)
        .containsEntry(directed("kubelvs_ipvs_destination_bytes_total", "out", A), 35000.0)
        .containsEntry(ipvs("destination_connections_total", B), 0.0)
        .containsEntry(ipvs("destination_weight", A), 1.0)
        .containsEntry("kubelvs_scrape_source_ok{source=\"ipvs\"}", 1.0)
        .containsEntry("kubelvs_scrape_source_ok{source=\"health\"}", 1.0)
        .containsEntry("kubelvs_scrape_source_errors_total{source=\"ipvs\"}", 0.0)
        .containsEntry("kubelvs_ipvs_reconcile_failing", 0.0);
    assertThat(m.get(rs("kubelvs_real_server_check_latency_seconds", A)))
        .isPositive()
        .isLessThan(2.0);
  }

  @Test
  void aRealServerThatFailsItsCheckIsDownWithItsLastResult() throws Exception {
    engine.lvs().apply(List.of(virtualServer(true)));
    Await.until(() -> client.metrics().get(rs("kubelvs_real_server_up", B)) == 1.0, "b up");

    Files.delete(bUp);

    Await.until(() -> client.metrics().get(rs("kubelvs_real_server_up", B)) == 0.0, "b down");
    Await.until(
        () -> !client.metrics().containsKey(ipvs("destination_connections_total", B)),
        "b out of the kernel's table");
    JsonNode b = realServer(client.status(), B);
    assertThat(b.get("up").asBoolean()).isFalse();
    assertThat(b.get("lastResult").asText()).isEqualTo("exit 1");
    assertThat(client.metrics()).containsEntry(vs("kubelvs_virtual_server_healthy_weight"), 1.0);
  }

  @Test
  void statusHasTheSameFactsAsJson() throws Exception {
    kernel.count(VS + " " + A, stats(4, 40, 35, 4000, 35000));
    engine.lvs().apply(List.of(virtualServer(true)));
    Await.until(
        () ->
            realServer(client.status(), B).get("checks").asLong() > 0
                && !client.status().get("virtualServers").get(0).get("kernel").isNull(),
        "b checked, the service in the kernel");

    JsonNode status = client.status();
    JsonNode vs = status.get("virtualServers").get(0);
    JsonNode a = realServer(status, A);
    JsonNode kernelA = vs.get("kernel").get("destinations").get(0);

    assertThat(vs.get("id").asText()).isEqualTo(VS);
    assertThat(vs.get("quorumUp").asBoolean()).isTrue();
    assertThat(vs.get("sorryServerActive").asBoolean()).isFalse();
    assertThat(vs.get("healthyWeight").asLong()).isEqualTo(2);
    assertThat(a.get("up").asBoolean()).isTrue();
    assertThat(a.get("lastResult").asText()).isEqualTo("exit 0");
    assertThat(a.get("lastLatencySeconds").asDouble()).isPositive();
    assertThat(Instant.parse(a.get("since").asText())).isBeforeOrEqualTo(Instant.now());
    assertThat(vs.get("kernel").get("scheduler").asText()).isEqualTo("rr");
    assertThat(kernelA.get("address").asText()).isEqualTo(A);
    assertThat(kernelA.get("forwarding").asText()).isEqualTo("DR");
    assertThat(kernelA.get("stats").get("connections").asLong()).isEqualTo(4);
    assertThat(kernelA.get("stats").get("outBytes").asLong()).isEqualTo(35000);
    assertThat(status.get("vrrpInstances").size()).isZero();
    assertThat(status.get("reconcileFailure").isNull()).isTrue();
    assertThat(status.get("sources").findValuesAsText("name")).containsExactly("health", "ipvs");
  }

  @Test
  void theSorryServerTakingOverShowsInBothEndpoints() throws Exception {
    engine.lvs().apply(List.of(virtualServer(true)));
    Await.until(
        () -> client.metrics().get(vs("kubelvs_virtual_server_quorum_up")) == 1.0, "quorum");

    Files.delete(aUp);
    Files.delete(bUp);

    Await.until(
        () -> client.metrics().get(vs("kubelvs_virtual_server_sorry_server_active")) == 1.0,
        "the sorry server in");
    Await.until(
        () -> client.metrics().containsKey(ipvs("destination_connections_total", "127.0.0.1:80")),
        "the sorry server in the kernel's table");
    assertThat(client.metrics()).containsEntry(vs("kubelvs_virtual_server_quorum_up"), 0.0);
    assertThat(client.status().get("virtualServers").get(0).get("sorryServerActive").asBoolean())
        .isTrue();
  }

  @Test
  void seriesOfWhatAReloadRemovedAreGone() throws Exception {
    engine.lvs().apply(List.of(virtualServer(true)));
    Await.until(() -> client.metrics().containsKey(ipvs("destination_weight", B)), "b programmed");

    engine.lvs().apply(List.of(virtualServer(false)));

    Await.until(() -> !client.metrics().containsKey(ipvs("destination_weight", B)), "b removed");
    Map<String, Double> m = client.metrics();
    assertThat(m).containsKey(rs("kubelvs_real_server_up", A));
    assertThat(m.keySet()).noneMatch(series -> series.contains(B));

    engine.lvs().apply(List.of());

    Await.until(
        () -> !client.metrics().containsKey(vs("kubelvs_ipvs_service_connections_total")), "gone");
    assertThat(client.metrics().keySet()).noneMatch(series -> series.contains("virtual_server="));
    assertThat(client.status().get("virtualServers").size()).isZero();
  }

  @Test
  void aKernelThatCannotBeReadFailsNoScrapeAndIsOpenedAgain() throws Exception {
    kernel.count(VS, stats(7, 70, 60, 7000, 60000));
    engine.lvs().apply(List.of(virtualServer(true)));
    Await.until(
        () -> client.metrics().containsKey(vs("kubelvs_ipvs_service_connections_total")), "read");

    kernel.broken(true);
    Map<String, Double> failed = client.metrics();
    JsonNode failedStatus = client.status();
    kernel.broken(false);
    Map<String, Double> recovered = client.metrics();

    assertThat(failed)
        .containsEntry("kubelvs_scrape_source_ok{source=\"ipvs\"}", 0.0)
        .containsEntry("kubelvs_scrape_source_errors_total{source=\"ipvs\"}", 1.0)
        .containsEntry("kubelvs_scrape_source_ok{source=\"health\"}", 1.0)
        .containsEntry(rs("kubelvs_real_server_up", A), 1.0)
        .doesNotContainKey(vs("kubelvs_ipvs_service_connections_total"));
    JsonNode ipvs = failedStatus.get("sources").get(1);
    assertThat(ipvs.get("ok").asBoolean()).isFalse();
    assertThat(ipvs.get("lastError").asText()).contains("ENOBUFS");
    assertThat(failedStatus.get("virtualServers").get(0).get("kernel").isNull()).isTrue();
    assertThat(recovered)
        .containsEntry("kubelvs_scrape_source_ok{source=\"ipvs\"}", 1.0)
        .containsEntry("kubelvs_scrape_source_errors_total{source=\"ipvs\"}", 2.0)
        .containsEntry(vs("kubelvs_ipvs_service_connections_total"), 7.0);
    assertThat(kernel.closed()).isEqualTo(2);
    assertThat(kernel.opened()).isEqualTo(3);
  }

  @Test
  void aCheckerThatDoesNotAnswerFailsNoScrape() throws Exception {
    engine.lvs().apply(List.of(virtualServer(true)));
    Await.until(() -> client.metrics().containsKey(rs("kubelvs_real_server_up", A)), "a checked");

    checkerDeafToScrapes = true;
    HttpResponse<String> deaf = client.send("GET", "/metrics");
    JsonNode deafStatus = client.status();
    checkerDeafToScrapes = false;
    Map<String, Double> again = client.metrics();

    assertThat(deaf.statusCode()).isEqualTo(200);
    assertThat(deaf.body())
        .contains("kubelvs_scrape_source_ok{source=\"health\"} 0.0")
        .contains("kubelvs_scrape_source_ok{source=\"ipvs\"} 0.0")
        .doesNotContain("kubelvs_real_server_up");
    assertThat(deafStatus.get("virtualServers").size()).isZero();
    assertThat(deafStatus.get("sources").get(0).get("lastError").asText())
        .isEqualTo("the checker's thread is busy");
    assertThat(deafStatus.get("sources").get(1).get("lastError").asText())
        .startsWith("not read: the configured virtual servers are unknown");
    assertThat(again)
        .containsEntry("kubelvs_scrape_source_ok{source=\"health\"}", 1.0)
        .containsEntry("kubelvs_scrape_source_errors_total{source=\"health\"}", 2.0)
        .containsEntry(rs("kubelvs_real_server_up", A), 1.0);
  }

  @Test
  void probesTellReadinessAndWhetherTheCheckerAnswers() throws Exception {
    HttpResponse<String> notYet = client.send("GET", "/readyz");
    notReady = Optional.empty();
    HttpResponse<String> ready = client.send("GET", "/readyz");
    HttpResponse<String> live = client.send("GET", "/healthz");
    checkerDeafToScrapes = true;
    HttpResponse<String> wedged = client.send("GET", "/healthz");
    checkerDeafToScrapes = false;

    assertThat(notYet.statusCode()).isEqualTo(503);
    assertThat(notYet.body()).isEqualTo("no configuration applied yet\n");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(wedged.statusCode()).isEqualTo(503);
    assertThat(wedged.body()).contains("the checker does not answer: the checker's thread is busy");
  }

  @Test
  void aDirectorWithoutVirtualServersNeverOpensTheKernel() throws Exception {
    Map<String, Double> m = client.metrics();

    assertThat(m).containsEntry("kubelvs_scrape_source_ok{source=\"ipvs\"}", 1.0);
    assertThat(kernel.opened()).isZero();
  }

  @Test
  void onlyGetIsServedAndOtherPathsAreNotFound() throws Exception {
    HttpResponse<String> post = client.send("POST", "/metrics");
    HttpResponse<String> delete = client.send("DELETE", "/status");
    HttpResponse<String> unknown = client.send("GET", "/metrics/extra");
    HttpResponse<String> root = client.send("GET", "/");
    HttpResponse<String> metrics = client.send("GET", "/metrics");
    HttpResponse<String> status = client.send("GET", "/status");

    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).contains("GET");
    assertThat(delete.statusCode()).isEqualTo(405);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(root.statusCode()).isEqualTo(404);
    assertThat(metrics.headers().firstValue("Content-Type")).contains(ObserveServer.METRICS_TYPE);
    assertThat(metrics.body()).contains("# TYPE kubelvs_scrape_source_errors_total counter");
    assertThat(status.headers().firstValue("Content-Type")).contains(ObserveServer.JSON_TYPE);
  }

  /** The checker's timer, refusing work handed to it by the endpoints' threads while told to. */
  private CheckTimer deafToScrapes(CheckTimer timer) {
    return new CheckTimer() {
      @Override
      public long nanoTime() {
        return timer.nanoTime();
      }

      @Override
      public Cancellable schedule(Runnable task, long delayNanos) {
        return timer.schedule(task, delayNanos);
      }

      @Override
      public void execute(Runnable task) {
        if (checkerDeafToScrapes && Thread.currentThread().getName().startsWith("observe-http")) {
          throw new RejectedExecutionException("the checker's thread is busy");
        }
        timer.execute(task);
      }

      @Override
      public boolean inTimerThread() {
        return timer.inTimerThread();
      }
    };
  }

  private VirtualServerConfig virtualServer(boolean withB) throws Exception {
    ServiceKey key =
        new ServiceKey.Address(IpvsProtocol.TCP, InetAddress.getByName("198.18.0.50"), 80);
    List<RealServerCheck> realServers =
        withB
            ? List.of(check("198.18.0.101", aUp), check("198.18.0.102", bUp))
            : List.of(check("198.18.0.101", aUp));
    VirtualServerChecks checks =
        VirtualServerChecks.of(key.toString(), realServers)
            .withSorryServer(new SorryServer(endpoint("127.0.0.1"), false));
    return new VirtualServerConfig(IpvsService.of(key, "rr"), Forwarding.DR, checks);
  }

  private static RealServerCheck check(String ip, Path flag) throws Exception {
    return RealServerCheck.of(
        endpoint(ip), 1, new MiscCheck("test -e " + flag, Duration.ofSeconds(2), false), FAST);
  }

  private static InetSocketAddress endpoint(String ip) throws Exception {
    return new InetSocketAddress(InetAddress.getByName(ip), 80);
  }

  private static IpvsStats stats(
      long conns, long inPkts, long outPkts, long inBytes, long outBytes) {
    return new IpvsStats(conns, inPkts, outPkts, inBytes, outBytes, 0, 0, 0, 0, 0);
  }

  private static double checks(Map<String, Double> m, String realServer) {
    return m.getOrDefault(rs("kubelvs_real_server_checks_total", realServer), 0.0);
  }

  private static JsonNode realServer(JsonNode status, String address) {
    for (JsonNode r : status.get("virtualServers").get(0).get("realServers")) {
      if (r.get("address").asText().equals(address)) {
        return r;
      }
    }
    throw new AssertionError("no real server " + address + " in " + status);
  }

  private static String vs(String name) {
    return name + "{virtual_server=\"" + VS + "\"}";
  }

  private static String rs(String name, String realServer) {
    return name + "{real_server=\"" + realServer + "\",virtual_server=\"" + VS + "\"}";
  }

  private static String ipvs(String name, String realServer) {
    return rs("kubelvs_ipvs_" + name, realServer);
  }

  private static String directed(String name, String direction, String realServer) {
    return name
        + "{direction=\""
        + direction
        + "\","
        + (realServer == null ? "" : "real_server=\"" + realServer + "\",")
        + "virtual_server=\""
        + VS
        + "\"}";
  }
}
