package io.kubelvs.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.kubelvs.agent.netlink.CidrAddress;
import io.kubelvs.agent.vrrp.VrrpInstanceConfig;
import io.kubelvs.agent.vrrp.VrrpRunnerConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keepalived's global_defs and vrrp_instance blocks read into the VRRP core's configs. */
class KeepalivedVrrpTest {
  private static final Path SAMPLE = Path.of("..", "samples", "keepalived", "keepalived.conf");

  @TempDir Path dir;

  @Test
  void theSeedsGlobalDefsNameTheDirectorAndTheMailRelay() throws Exception {
    GlobalDefs global = KeepalivedVrrp.readGlobalDefs(KeepalivedConf.parse(SAMPLE), "host-a");

    assertThat(global)
        .isEqualTo(
            new GlobalDefs(
                "LVS_DEVEL",
                List.of("root@localhost"),
                "keepalived@localhost",
                Optional.of(new InetSocketAddress(ip("127.0.0.1"), 25)),
                Duration.ofSeconds(30)));
  }

  @Test
  void theSeedsInstanceIsOneRunnerOnItsInterfaceWithTheGroupAndPassword() throws Exception {
    VrrpConfig vrrp = KeepalivedVrrp.readVrrp(KeepalivedConf.parse(SAMPLE));

    VrrpInstanceConfig instance =
        VrrpInstanceConfig.builder("VI_1", 99, VrrpRunnerConfig.UNRESOLVED_PRIMARY)
            .version(2)
            .priority(100)
            .advertInterval(Duration.ofSeconds(1))
            .virtualAddresses(ip("172.16.53.50"))
            .stateMaster(true)
            .build();
    assertThat(vrrp.runners())
        .containsExactly(
            new VrrpRunnerConfig(
                "eno16777736",
                StandardProtocolFamily.INET,
                ip("224.0.100.99"),
                Optional.of("571f97b2"),
                List.of(CidrAddress.parse("172.16.53.50")),
                List.of(instance)));
    assertThat(vrrp.smtpAlert()).containsExactly("VI_1");
  }

  @Test
  void twoInstancesWithCrossedPrioritiesShareTheInterfacesRunner() throws Exception {
    VrrpConfig vrrp =
        read(
            """
            global_defs {
                vrrp_garp_master_repeat 3
            }
            vrrp_instance VI_1 {
                state MASTER
                interface eth0
                virtual_router_id 51
                priority 100
                advert_int 0.5
                version 3
                virtual_ipaddress {
                    198.18.0.50/24 dev eth0
                }
            }
            vrrp_instance VI_2 {
                state BACKUP
                interface eth0
                virtual_router_id 52
                priority 98
                advert_int 0.5
                version 3
                nopreempt
                garp_master_delay 0
                virtual_ipaddress {
                    198.18.0.51
                }
            }
            """);

    VrrpRunnerConfig runner = vrrp.runners().get(0);
    assertThat(vrrp.runners()).hasSize(1);
    assertThat(runner.group()).isEqualTo(VrrpRunnerConfig.IPV4_GROUP);
    assertThat(runner.password()).isEmpty();
    assertThat(runner.virtualAddresses())
        .containsExactly(CidrAddress.parse("198.18.0.50/24"), CidrAddress.parse("198.18.0.51"));
    assertThat(runner.instances())
        .extracting(
            VrrpInstanceConfig::name,
            VrrpInstanceConfig::priority,
            VrrpInstanceConfig::preempt,
            VrrpInstanceConfig::stateMaster)
        .containsExactly(tuple("VI_1", 100, true, true), tuple("VI_2", 98, false, false));
    assertThat(runner.instances().get(0).advertInterval()).isEqualTo(Duration.ofMillis(500));
    // The global repeat applies to both; VI_2 drops the second burst.
    assertThat(runner.instances().get(0).garp())
        .isEqualTo(new VrrpInstanceConfig.Garp(3, Duration.ofSeconds(5), Duration.ZERO, 1));
    assertThat(runner.instances().get(1).garp())
        .isEqualTo(new VrrpInstanceConfig.Garp(3, Duration.ZERO, Duration.ZERO, 1));
  }

  @Test
  void everyProblemIsReportedWithItsFileAndLine() {
    Path file =
        ConfFiles.write(
            dir,
            "keepalived.conf",
            """
            global_defs {
                vrrp_mcast_group4 198.18.0.1
                lvs_timeouts 10 10 10
            }
            vrrp_instance VI_1 {
                state PRIMARY
                interface eth0
                virtual_router_id 51
                priority 300
                authentication {
                    auth_type PASS
                    auth_pass secret
                }
                notify_master /bin/true root
                virtual_ipaddress {
                    198.18.0.50 dev eth1
                }
            }
            vrrp_instance VI_2 {
                interface eth0
                virtual_router_id 52
                authentication {
                    auth_type AH
                    auth_pass secret
                }
                virtual_ipaddress {
                    198.18.0.51
                }
            }
            vrrp_instance VI_3 {
                virtual_router_id 53
                virtual_ipaddress {
                    198.18.0.52
                }
            }
            """);

    assertThat(problemsOf(file))
        .containsExactly(
            file + ":2: vrrp_mcast_group4: '198.18.0.1' is not an IPv4 multicast address",
            file + ":3: unknown keyword 'lvs_timeouts'",
            file + ":6: state: expected MASTER or BACKUP, got 'PRIMARY'",
            file + ":9: priority: expected an integer 1-255, got \"300\"",
            file
                + ":14: notify_master: a script user ('root') is not supported yet: scripts run as"
                + " the agent's user; write a command with arguments in one pair of double quotes",
            file
                + ":16: virtual_ipaddress: dev eth1 is not the instance's interface; VIPs on other"
                + " interfaces are not supported yet",
            file + ":23: auth_type: only PASS is supported (AH is not supported yet)",
            file + ":30: vrrp_instance VI_3: missing 'interface'");
  }

  @Test
  void instancesOnOneInterfaceMustShareTheirPassword() {
    Path file =
        ConfFiles.write(
            dir,
            "keepalived.conf",
            """
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                authentication {
                    auth_type PASS
                    auth_pass one
                }
                virtual_ipaddress {
                    198.18.0.50
                }
            }
            vrrp_instance VI_2 {
                interface eth0
                virtual_router_id 52
                virtual_ipaddress {
                    198.18.0.51
                }
            }
            """);

    assertThat(problemsOf(file))
        .containsExactly(
            file
                + ":12: instances on eth0 share one socket and must share auth_pass"
                + " (vrrp_instance VI_1 at "
                + file
                + ":1 has another)");
  }

  private VrrpConfig read(String text) throws Exception {
    return KeepalivedVrrp.readVrrp(KeepalivedConf.parse(ConfFiles.write(dir, "k.conf", text)));
  }

  private static List<String> problemsOf(Path file) {
    try {
      KeepalivedVrrp.readVrrp(KeepalivedConf.parse(file));
    } catch (KeepalivedConfException refused) {
      return refused.problems().stream().map(ConfProblem::toString).toList();
    }
    throw new AssertionError(file + " was accepted, problems were expected");
  }

  private static InetAddress ip(String text) throws Exception {
    return InetAddress.getByName(text);
  }
}
