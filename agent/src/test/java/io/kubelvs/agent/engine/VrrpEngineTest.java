package io.kubelvs.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.config.KeepalivedConf;
import io.kubelvs.agent.config.KeepalivedVrrp;
import io.kubelvs.agent.config.VrrpConfig;
import io.kubelvs.agent.testing.NetnsLab;
import io.kubelvs.agent.testing.NoLeftoverNamespaces;
import io.kubelvs.agent.testing.Privileges;
import io.kubelvs.agent.vrrp.MonotonicClock;
import io.kubelvs.agent.vrrp.StateChange;
import io.kubelvs.agent.vrrp.VipStore;
import io.kubelvs.agent.vrrp.VrrpRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two directors in a network-namespace lab, each a VrrpEngine applying a keepalived.conf: an
 * unchanged configuration applied again changes no state, and a director whose configuration drops
 * the instance hands its VIP to the other.
 */
@ExtendWith(NoLeftoverNamespaces.class)
class VrrpEngineTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  private NetnsLab lab;
  private final List<StateChange> changesA = new CopyOnWriteArrayList<>();
  private final List<StateChange> changesB = new CopyOnWriteArrayList<>();
  private VrrpEngine a;
  private VrrpEngine b;

  @BeforeEach
  void startLab() {
    Privileges.requireRoot("run VRRP on raw sockets in a network-namespace lab");
    lab = NetnsLab.create(2);
    a = new VrrpEngine(i -> VipStore.inMemory(), MonotonicClock.system(), changesA::add);
    b = new VrrpEngine(i -> VipStore.inMemory(), MonotonicClock.system(), changesB::add);
  }

  @AfterEach
  void stopLab() {
    if (lab == null) {
      return;
    }
    try {
      a.close();
      b.close();
    } finally {
      lab.close();
    }
  }

  @Test
  void theSameConfigurationAgainKeepsTheMasterAndRemovingItHandsTheVipOver() throws Exception {
    VrrpConfig high = config(100);
    lab.host("a").call(() -> apply(a, high));
    lab.host("b").call(() -> apply(b, config(98)));
    await(() -> a.roles().get("VI_1") == VrrpRole.MASTER, "a master");
    await(() -> b.roles().get("VI_1") == VrrpRole.BACKUP, "b backup");
    int changesBefore = changesA.size();

    lab.host("a").call(() -> apply(a, config(100)));
    Thread.sleep(500);

    assertThat(a.roles()).isEqualTo(Map.of("VI_1", VrrpRole.MASTER));
    assertThat(changesA).hasSize(changesBefore);

    lab.host("a").call(() -> apply(a, new VrrpConfig(List.of(), Set.of())));

    await(() -> b.roles().get("VI_1") == VrrpRole.MASTER, "b master after a's handover");
    assertThat(a.roles()).isEmpty();
    assertThat(lab.host("b").ip("-o", "-4", "address", "show", "dev", NetnsLab.INTERFACE))
        .contains(" 198.18.0.50/32 ");
  }

  @Test
  void changingAnInterfacesInstancesMovesNoVipOfTheInstancesThatStay() throws Exception {
    lab.host("a").call(() -> apply(a, twoInstances(100, true)));
    lab.host("b").call(() -> apply(b, twoInstances(98, true)));
    await(
        () -> a.roles().equals(Map.of("VI_1", VrrpRole.MASTER, "VI_2", VrrpRole.MASTER)),
        "a master of both");
    await(
        () -> b.roles().equals(Map.of("VI_1", VrrpRole.BACKUP, "VI_2", VrrpRole.BACKUP)),
        "b backup of both");
    int changesOfA = changesA.size();
    int changesOfB = changesB.size();
    // Polled all through the reconfiguration: VI_1's VIP never leaves a.
    AtomicBoolean vipAlwaysOnA = new AtomicBoolean(true);
    AtomicBoolean polling = new AtomicBoolean(true);
    Thread poller =
        new Thread(
            () -> {
              while (polling.get()) {
                vipAlwaysOnA.compareAndSet(true, addressesOf("a").contains(" 198.18.0.50/32 "));
              }
            });
    poller.start();

    // VI_1 gets a second VIP, VI_2 goes: one runner, replaced.
    lab.host("a").call(() -> apply(a, twoInstances(100, false)));
    await(() -> addressesOf("a").contains(" 198.18.0.52/32 "), "VI_1's new VIP on a");
    await(() -> b.roles().get("VI_2") == VrrpRole.MASTER, "b master of VI_2, handed over by a");
    Thread.sleep(1000); // ten of b's advert intervals: time for a flap to show
    polling.set(false);
    poller.join();

    assertThat(vipAlwaysOnA).as("198.18.0.50 on a at every poll").isTrue();
    assertThat(a.roles()).isEqualTo(Map.of("VI_1", VrrpRole.MASTER));
    assertThat(changesA.subList(changesOfA, changesA.size()))
        .as("a's changes after the reconfiguration: VI_1 resumed as master, never BACKUP")
        .noneMatch(c -> c.instance().equals("VI_1") && c.to() == VrrpRole.BACKUP)
        .anyMatch(c -> c.instance().equals("VI_1") && c.reason().contains("resumed as master"));
    assertThat(changesB.subList(changesOfB, changesB.size()))
        .as("b's changes after the reconfiguration")
        .noneMatch(c -> c.instance().equals("VI_1"))
        .anyMatch(c -> c.instance().equals("VI_2") && c.to() == VrrpRole.MASTER);
  }

  @Test
  void anInterfaceThatCannotRunIsNamedAndTheOthersRun() throws Exception {
    VrrpConfig good = config(100);
    VrrpConfig missing = config(100, "nosuch0", 98);
    VrrpConfig both =
        new VrrpConfig(List.of(good.runners().get(0), missing.runners().get(0)), Set.of());

    Exception failure =
        lab.host("a")
            .call(
                () -> {
                  try {
                    a.apply(both);
                    return null;
                  } catch (VrrpEngine.StartException e) {
                    return e;
                  }
                });

    assertThat(failure).hasMessageStartingWith("VRRP could not start on: nosuch0 (");
    await(() -> a.roles().get("VI_1") == VrrpRole.MASTER, "a master on v0");
  }

  @Test
  void aVrrpScriptFromTheFileIsAppliedAndChangingItReconfiguresTheRunner() throws Exception {
    Path healthy = Files.writeString(dir.resolve("healthy"), "");
    lab.host("a").call(() -> apply(a, tracked(healthy)));
    lab.host("b").call(() -> apply(b, config(95)));
    await(() -> a.roles().get("VI_1") == VrrpRole.MASTER, "a master");
    await(() -> b.roles().get("VI_1") == VrrpRole.BACKUP, "b backup");
    int changesBefore = changesA.size();

    lab.host("a").call(() -> apply(a, tracked(healthy)));
    Thread.sleep(500);
    assertThat(changesA).as("the same script again changes nothing").hasSize(changesBefore);

    lab.host("a").call(() -> apply(a, tracked(dir.resolve("gone"))));

    // The new runner starts as backup at 100 and drops to 90 at the script's first result.
    await(
        () ->
            a.instances().get(0).priority() == 90
                && a.roles().get("VI_1") == VrrpRole.BACKUP
                && b.roles().get("VI_1") == VrrpRole.MASTER,
        "a at priority 90 and backup, b master, once a's script fails");
  }

  /** Priority 100, tracking a script that succeeds while {@code marker} exists, weight -10. */
  private VrrpConfig tracked(Path marker) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("keepalived-tracked.conf"),
            """
            global_defs {
                vrrp_mcast_group4 224.0.100.99
            }
            vrrp_script chk {
                script "/usr/bin/test -e %s"
                interval 0.1
                weight -10
            }
            vrrp_instance VI_1 {
                interface %s
                virtual_router_id 99
                priority 100
                advert_int 0.1
                version 3
                virtual_ipaddress {
                    198.18.0.50
                }
                track_script {
                    chk
                }
            }
            """
                .formatted(marker, NetnsLab.INTERFACE));
    return KeepalivedVrrp.readVrrp(KeepalivedConf.parse(file));
  }

  /**
   * VI_1 (VRID 99, 198.18.0.50, and 198.18.0.52 unless {@code withSecond}) and, {@code withSecond},
   * VI_2 (VRID 100, 198.18.0.51), both at {@code priority}.
   */
  private VrrpConfig twoInstances(int priority, boolean withSecond) throws Exception {
    String second =
        """
        vrrp_instance VI_2 {
            interface %s
            virtual_router_id 100
            priority %d
            advert_int 0.1
            version 3
            virtual_ipaddress {
                198.18.0.51
            }
        }
        """
            .formatted(NetnsLab.INTERFACE, priority);
    Path file =
        Files.writeString(
            dir.resolve("keepalived-two-" + priority + "-" + withSecond + ".conf"),
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
                    %s
                }
            }
            %s"""
                .formatted(
                    NetnsLab.INTERFACE,
                    priority,
                    withSecond ? "" : "198.18.0.52",
                    withSecond ? second : ""));
    return KeepalivedVrrp.readVrrp(KeepalivedConf.parse(file));
  }

  private String addressesOf(String host) {
    return lab.host(host).ip("-o", "-4", "address", "show", "dev", NetnsLab.INTERFACE);
  }

  private Void apply(VrrpEngine engine, VrrpConfig config) throws Exception {
    engine.apply(config);
    return null;
  }

  private VrrpConfig config(int priority) throws Exception {
    return config(priority, NetnsLab.INTERFACE, 99);
  }

  private VrrpConfig config(int priority, String interfaceName, int vrid) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("keepalived-" + interfaceName + "-" + priority + ".conf"),
            """
            global_defs {
                vrrp_mcast_group4 224.0.100.99
            }
            vrrp_instance VI_1 {
                interface %s
                virtual_router_id %d
                priority %d
                advert_int 0.1
                version 3
                virtual_ipaddress {
                    198.18.0.50
                }
            }
            """
                .formatted(interfaceName, vrid, priority));
    return KeepalivedVrrp.readVrrp(KeepalivedConf.parse(file));
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      Thread.sleep(20);
    }
  }
}
