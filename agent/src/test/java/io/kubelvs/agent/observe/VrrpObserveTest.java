package io.kubelvs.agent.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubelvs.agent.check.EventLoopCheckTimer;
import io.kubelvs.agent.check.Probers;
import io.kubelvs.agent.config.KeepalivedConf;
import io.kubelvs.agent.config.KeepalivedVrrp;
import io.kubelvs.agent.config.VrrpConfig;
import io.kubelvs.agent.engine.DirectorEngine;
import io.kubelvs.agent.engine.LvsEngine;
import io.kubelvs.agent.engine.VrrpEngine;
import io.kubelvs.agent.ipvs.FakeIpvsTable;
import io.kubelvs.agent.ipvs.InMemoryOwnedServicesStore;
import io.kubelvs.agent.ipvs.IpvsReconciler;
import io.kubelvs.agent.testing.NetnsLab;
import io.kubelvs.agent.testing.NoLeftoverNamespaces;
import io.kubelvs.agent.testing.Privileges;
import io.kubelvs.agent.vrrp.MonotonicClock;
import io.kubelvs.agent.vrrp.VipStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VRRP facts of two real directors in a network-namespace lab, each with its own endpoints: a
 * master with priority 100 and a backup with 98 on one link, running VRRPv3 at 0.1 s.
 */
@ExtendWith(NoLeftoverNamespaces.class)
class VrrpObserveTest {
  private static final String VI_1 = "interface=\"v0\",state=\"%s\",vrrp_instance=\"VI_1\"";
  private static final String INSTANCE = "{interface=\"v0\",vrrp_instance=\"VI_1\"}";

  @TempDir Path dir;

  private NetnsLab lab;
  private Probers probers;
  private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
  private DirectorEngine a;
  private DirectorEngine b;
  private ObserveClient clientA;
  private ObserveClient clientB;

  @BeforeEach
  void startLab() throws Exception {
    Privileges.requireRoot("run VRRP on raw sockets in a network-namespace lab");
    lab = NetnsLab.create(2);
    probers = Probers.start();
    a = director();
    b = director();
    clientA = new ObserveClient(serve(a));
    clientB = new ObserveClient(serve(b));
  }

  @AfterEach
  void stopLab() throws Exception {
    if (lab == null) {
      return;
    }
    try {
      for (AutoCloseable c : toClose) {
        c.close();
      }
      probers.close();
    } finally {
      lab.close();
    }
  }

  @Test
  void theMasterAndTheBackupShowTheirStateTransitionsAndAdverts() throws Exception {
    start();

    Map<String, Double> master = clientA.metrics();
    Map<String, Double> backup = clientB.metrics();

    assertThat(master)
        .containsEntry(state("MASTER"), 1.0)
        .containsEntry(state("BACKUP"), 0.0)
        .containsEntry(state("FAULT"), 0.0)
        .containsEntry(transitions("BACKUP"), 1.0)
        .containsEntry(transitions("MASTER"), 1.0)
        .containsEntry("kubelvs_vrrp_priority" + INSTANCE, 100.0)
        .containsEntry(dropped("bad_ttl", "VI_1"), 0.0)
        .containsEntry(dropped("unknown_vrid", ""), 0.0)
        .containsEntry(dropped("bad_checksum", ""), 0.0);
    assertThat(master.get("kubelvs_vrrp_adverts_sent_total" + INSTANCE)).isGreaterThan(1.0);
    assertThat(backup)
        .containsEntry(state("BACKUP"), 1.0)
        .containsEntry(state("MASTER"), 0.0)
        .containsEntry(transitions("MASTER"), 0.0)
        .containsEntry("kubelvs_vrrp_priority" + INSTANCE, 98.0);
    assertThat(backup.get("kubelvs_vrrp_adverts_received_total" + INSTANCE)).isGreaterThan(1.0);
    assertThat(backup.get("kubelvs_vrrp_adverts_sent_total" + INSTANCE)).isZero();
  }

  @Test
  void statusShowsEachInstanceWithSinceAndCounters() throws Exception {
    Instant before = Instant.now();
    start();

    JsonNode master = clientA.status().get("vrrpInstances").get(0);
    JsonNode backup = clientB.status().get("vrrpInstances").get(0);

    assertThat(master.get("name").asText()).isEqualTo("VI_1");
    assertThat(master.get("interfaceName").asText()).isEqualTo("v0");
    assertThat(master.get("vrid").asInt()).isEqualTo(99);
    assertThat(master.get("state").asText()).isEqualTo("MASTER");
    assertThat(master.get("reason").asText()).startsWith("master down interval");
    assertThat(Instant.parse(master.get("since").asText())).isAfterOrEqualTo(before);
    assertThat(master.get("priority").asInt()).isEqualTo(100);
    assertThat(master.get("configuredPriority").asInt()).isEqualTo(100);
    assertThat(master.get("advertsSent").asLong()).isPositive();
    assertThat(master.get("counters").get("became_master").asLong()).isEqualTo(1);
    assertThat(master.get("transitions").get("MASTER").asLong()).isEqualTo(1);
    assertThat(backup.get("state").asText()).isEqualTo("BACKUP");
    assertThat(backup.get("advertsReceived").asLong()).isPositive();
    assertThat(backup.get("dropped").get("not_a_peer").asLong()).isZero();
    assertThat(clientB.status().get("vrrpInterfaces").get(0).get("interfaceName").asText())
        .isEqualTo("v0");
  }

  @Test
  void anInstanceRemovedByAReloadLeavesNoSeriesAndTheBackupTakesOver() throws Exception {
    start();

    lab.host("a").call(() -> apply(a, new VrrpConfig(List.of(), Set.of())));

    Await.until(() -> clientB.metrics().get(state("MASTER")) == 1.0, "b master after a's handover");
    assertThat(clientA.metrics().keySet()).noneMatch(series -> series.startsWith("kubelvs_vrrp_"));
    assertThat(clientA.status().get("vrrpInstances").size()).isZero();
    assertThat(clientB.metrics()).containsEntry(transitions("MASTER"), 1.0);
  }

  private void start() throws Exception {
    lab.host("a").call(() -> apply(a, config(100)));
    lab.host("b").call(() -> apply(b, config(98)));
    Await.until(() -> clientA.metrics().get(state("MASTER")) == 1.0, "a master");
    Await.until(
        () ->
            clientB.metrics().getOrDefault("kubelvs_vrrp_adverts_received_total" + INSTANCE, 0.0)
                > 1,
        "b hearing a");
  }

  private DirectorEngine director() {
    LvsEngine lvs =
        new LvsEngine(
            new IpvsReconciler(new FakeIpvsTable(), new InMemoryOwnedServicesStore()),
            new EventLoopCheckTimer(probers.eventLoops().group().next()),
            probers,
            InstantSource.system(),
            RandomGenerator.of("L64X128MixRandom"),
            event -> {});
    DirectorEngine engine =
        new DirectorEngine(
            new VrrpEngine(i -> VipStore.inMemory(), MonotonicClock.system(), c -> {}), lvs);
    toClose.push(engine);
    return engine;
  }

  private InetSocketAddress serve(DirectorEngine engine) throws Exception {
    CountingKernel kernel = new CountingKernel(new FakeIpvsTable());
    ObserveServer server =
        ObserveServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            DirectorObserver.attach(engine, kernel::open),
            ObserveServer.Probes.ALWAYS_READY);
    toClose.push(server);
    return server.address();
  }

  private static Void apply(DirectorEngine engine, VrrpConfig config) throws Exception {
    engine.vrrp().apply(config);
    return null;
  }

  private VrrpConfig config(int priority) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("keepalived-" + priority + ".conf"),
            """
            global_defs {
                vrrp_mcast_group4 224.0.100.99
            }
            vrrp_instance VI_1 {
                interface %s
                virtual_router_id 99
                priority %d
                advert_int 0.1
                version 3
                virtual_ipaddress {
                    198.18.0.50
                }
            }
            """
                .formatted(NetnsLab.INTERFACE, priority));
    return KeepalivedVrrp.readVrrp(KeepalivedConf.parse(file));
  }

  private static String state(String state) {
    return "kubelvs_vrrp_state{" + VI_1.formatted(state) + "}";
  }

  private static String transitions(String state) {
    return "kubelvs_vrrp_transitions_total{" + VI_1.formatted(state) + "}";
  }

  private static String dropped(String reason, String instance) {
    return "kubelvs_vrrp_adverts_dropped_total{interface=\"v0\",reason=\""
        + reason
        + "\",vrrp_instance=\""
        + instance
        + "\"}";
  }
}
