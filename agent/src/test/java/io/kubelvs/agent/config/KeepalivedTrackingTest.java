package io.kubelvs.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.vrrp.TrackedCondition;
import io.kubelvs.agent.vrrp.TrackedFile;
import io.kubelvs.agent.vrrp.TrackedInterface;
import io.kubelvs.agent.vrrp.TrackedScript;
import io.kubelvs.agent.vrrp.VrrpRunnerConfig;
import io.kubelvs.agent.vrrp.VrrpRunnerConfig.SyncGroupMembers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keepalived's vrrp_script, track_script and vrrp_sync_group read into the VRRP core's configs. */
class KeepalivedTrackingTest {

  @TempDir Path dir;

  private static final String SCRIPTS =
      """
      vrrp_script chk_haproxy {
          script "/usr/bin/killall -0 haproxy"
          interval 2
          weight -20
          fall 3
          rise 2
      }
      vrrp_script chk_file {
          script "/usr/bin/test -e '/run/director ok'"
          timeout 5
          init_fail
      }
      """;

  private static String instance(String name, int vrid, String iface, String vip, String track) {
    return """
        vrrp_instance %s {
            interface %s
            virtual_router_id %d
            virtual_ipaddress {
                %s
            }
        %s
        }
        """
        .formatted(name, iface, vrid, vip, track);
  }

  @Test
  void aVrrpScriptIsTrackedWithItsTimingAndWeight() throws Exception {
    VrrpConfig vrrp =
        read(
            SCRIPTS
                + instance(
                    "VI_1",
                    51,
                    "eth0",
                    "198.18.0.50",
                    "    track_script {\n        chk_haproxy\n    }"));

    List<TrackedScript> tracked = vrrp.runners().get(0).instances().get(0).trackScripts();
    assertThat(tracked)
        .containsExactly(
            new TrackedScript(
                new TrackedCondition.Settings(
                    "chk_haproxy", Duration.ofSeconds(2), Duration.ofSeconds(2), 2, 3, -20, false),
                List.of("/usr/bin/killall", "-0", "haproxy")));
  }

  @Test
  void keepalivedsDefaultsAreWeightZeroTimeoutIntervalAndInitFailAsWritten() throws Exception {
    VrrpConfig vrrp =
        read(
            SCRIPTS
                + instance(
                    "VI_1",
                    51,
                    "eth0",
                    "198.18.0.50",
                    "    track_script {\n        chk_file\n    }"));

    TrackedScript tracked = vrrp.runners().get(0).instances().get(0).trackScripts().get(0);
    assertThat(tracked.settings())
        .isEqualTo(
            new TrackedCondition.Settings(
                "chk_file", Duration.ofSeconds(1), Duration.ofSeconds(5), 1, 1, 0, true));
    assertThat(tracked.command()).containsExactly("/usr/bin/test", "-e", "/run/director ok");
  }

  @Test
  void trackScriptsWeightOverridesTheScriptsForThatInstanceOnly() throws Exception {
    VrrpConfig vrrp =
        read(
            SCRIPTS
                + instance(
                    "VI_1",
                    51,
                    "eth0",
                    "198.18.0.50",
                    "    track_script {\n        chk_haproxy weight 30\n        chk_file\n    }")
                + instance(
                    "VI_2",
                    52,
                    "eth0",
                    "198.18.0.51",
                    "    track_script {\n        chk_haproxy\n    }"));

    List<TrackedScript> first = vrrp.runners().get(0).instances().get(0).trackScripts();
    List<TrackedScript> second = vrrp.runners().get(0).instances().get(1).trackScripts();
    assertThat(first).extracting(t -> t.settings().weight()).containsExactly(30, 0);
    assertThat(second).extracting(t -> t.settings().weight()).containsExactly(-20);
  }

  @Test
  void brokenScriptsAndTrackScriptsAreNamedAtTheirLines() {
    Path file =
        ConfFiles.write(
            dir,
            "k.conf",
            """
            vrrp_script no_script {
                interval 2
            }
            vrrp_script bad {
                script "/bin/true"
                weight 300
                user nobody
                fall 0
                shell yes
            }
            vrrp_script rev {
                script "/bin/true"
                weight 10 reverse
            }
            vrrp_script chk {
                script /bin/true extra
            }
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                virtual_ipaddress {
                    198.18.0.50
                }
                track_script {
                    missing
                    rev weight
                }
            }
            """);

    assertThat(problemsOf(file))
        .containsExactly(
            file + ":1: vrrp_script no_script: missing 'script'",
            file + ":6: weight: expected an integer -253-253, got \"300\"",
            file + ":7: user is not supported yet: scripts run as the agent's user",
            file + ":8: fall: expected an integer 1-2147483647, got \"0\"",
            file + ":9: unknown keyword 'shell'",
            file + ":13: weight: weight ... reverse is not supported yet; give the weight its sign",
            file + ":16: script: expected the command in one pair of double quotes, got 2 words",
            file + ":25: track_script: no vrrp_script named missing");
  }

  @Test
  void trackScriptWithAMalformedWeightIsNamed() {
    Path file =
        ConfFiles.write(
            dir,
            "k.conf",
            SCRIPTS
                + instance(
                    "VI_1",
                    51,
                    "eth0",
                    "198.18.0.50",
                    "    track_script {\n        chk_file weight\n        chk_haproxy weight x\n    }"));

    assertThat(problemsOf(file))
        .containsExactly(
            file + ":20: track_script: expected NAME [weight N], got chk_file weight",
            file + ":21: weight: expected an integer -253-253, got \"x\"");
  }

  @Test
  void aSyncGroupOfTwoInstancesOnOneInterfaceIsOneRunnersGroup() throws Exception {
    VrrpConfig vrrp =
        read(
            """
            vrrp_sync_group VG_1 {
                group {
                    VI_1
                    VI_2
                }
            }
            """
                + instance("VI_1", 51, "eth0", "198.18.0.50", "")
                + instance("VI_2", 52, "eth0", "198.18.0.51", "")
                + instance("VI_3", 53, "eth1", "198.18.1.50", ""));

    assertThat(vrrp.runners())
        .extracting(VrrpRunnerConfig::interfaceName, VrrpRunnerConfig::syncGroups)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "eth0", List.of(new SyncGroupMembers("VG_1", List.of("VI_1", "VI_2")))),
            org.assertj.core.groups.Tuple.tuple("eth1", List.of()));
  }

  @Test
  void aSyncGroupAcrossInterfacesIsRefusedSayingWhy() {
    Path file =
        ConfFiles.write(
            dir,
            "k.conf",
            """
            vrrp_sync_group VG_1 {
                group {
                    VI_1 VI_3
                }
            }
            """
                + instance("VI_1", 51, "eth0", "198.18.0.50", "")
                + instance("VI_3", 53, "eth1", "198.18.1.50", ""));

    assertThat(problemsOf(file))
        .containsExactly(
            file
                + ":1: vrrp_sync_group VG_1: VI_1 runs on eth0/INET and VI_3 on eth1/INET; sync"
                + " groups across interfaces or address families are not supported yet (each"
                + " interface and family runs in an event loop of its own)");
  }

  @Test
  void brokenSyncGroupsAreNamedAtTheirLines() {
    Path file =
        ConfFiles.write(
            dir,
            "k.conf",
            SCRIPTS
                + """
                vrrp_sync_group VG_1 {
                    group {
                        VI_1
                        VI_9
                    }
                    notify_master "/bin/true"
                    track_script {
                        chk_file
                    }
                    smtp_alert
                }
                vrrp_sync_group VG_2 {
                    group {
                        VI_1
                    }
                }
                vrrp_sync_group VG_3 {
                }
                """
                + instance(
                    "VI_1",
                    51,
                    "eth0",
                    "198.18.0.50",
                    "    track_script {\n        chk_haproxy\n    }"));

    assertThat(problemsOf(file))
        .containsExactly(
            file + ":18: notify_master in vrrp_sync_group is not supported yet",
            file + ":19: track_script in vrrp_sync_group is not supported yet",
            file + ":22: smtp_alert in vrrp_sync_group is not supported yet",
            file
                + ":31: vrrp_instance VI_1 is in vrrp_sync_group VG_1: track_script chk_haproxy"
                + " with weight -20 is not supported (keepalived ignores weights in sync groups"
                + " without sync_group_tracking_weight); use weight 0",
            file + ":13: vrrp_sync_group VG_1: no vrrp_instance VI_9",
            file
                + ":24: vrrp_sync_group VG_2: vrrp_instance VI_1 is already in vrrp_sync_group VG_1",
            file
                + ":31: vrrp_instance VI_1 is in vrrp_sync_group VG_2: track_script chk_haproxy"
                + " with weight -20 is not supported (keepalived ignores weights in sync groups"
                + " without sync_group_tracking_weight); use weight 0",
            file + ":29: vrrp_sync_group VG_3: missing 'group'");
  }

  @Test
  void trackInterfaceNamesInterfacesWithOptionalWeights() throws Exception {
    VrrpConfig vrrp =
        read(
            instance(
                "VI_1",
                51,
                "eth0",
                "198.18.0.50",
                "    track_interface {\n        eth1\n        bond0 weight -50\n    }"));

    assertThat(vrrp.runners().get(0).instances().get(0).trackInterfaces())
        .containsExactly(new TrackedInterface("eth1", 0), new TrackedInterface("bond0", -50));
  }

  @Test
  void brokenTrackInterfaceLinesAreNamed() {
    Path file =
        ConfFiles.write(
            dir,
            "k.conf",
            instance(
                "VI_1",
                51,
                "eth0",
                "198.18.0.50",
                "    track_interface {\n        eth1 weight 255\n        eth2 weight -10 reverse\n"
                    + "        eth3 prio 5\n        an-interface-name-too-long\n"
                    + "        eth1\n    }"));

    assertThat(problemsOf(file))
        .containsExactly(
            file + ":8: weight: expected an integer -254-254, got \"255\"",
            file + ":9: weight: weight ... reverse is not supported yet; give the weight its sign",
            file + ":10: track_interface: expected NAME [weight N], got eth3 prio 5",
            file
                + ":11: track_interface \"an-interface-name-too-long\" is not an interface name of"
                + " 1-15 bytes");
  }

  @Test
  void aSyncGroupMemberTrackingAnInterfaceWithAWeightIsRefused() {
    Path file =
        ConfFiles.write(
            dir,
            "k.conf",
            "vrrp_sync_group VG_1 {\n    group {\n        VI_1\n    }\n}\n"
                + instance(
                    "VI_1",
                    51,
                    "eth0",
                    "198.18.0.50",
                    "    track_interface {\n        eth1 weight 10\n    }"));

    assertThat(problemsOf(file))
        .containsExactly(
            file
                + ":6: vrrp_instance VI_1 is in vrrp_sync_group VG_1: track_interface eth1 with"
                + " weight 10 is not supported (keepalived ignores weights in sync groups without"
                + " sync_group_tracking_weight); use weight 0");
  }

  @Test
  void aVrrpTrackFileIsTrackedWithItsWeightOrTheInstancesOwn() throws Exception {
    VrrpConfig vrrp =
        read(
            """
            vrrp_track_file load {
                file /run/keepalived/load
            }
            vrrp_track_file goto_backup {
                file /run/keepalived/goto_backup
                weight 0
                init_file 0
            }
            vrrp_track_file prio {
                file /run/keepalived/prio
                weight -2
                init_file 5 overwrite
            }
            """
                + instance(
                    "VI_1",
                    51,
                    "eth0",
                    "198.18.0.50",
                    "    track_file {\n        load weight -1\n        goto_backup\n        prio\n"
                        + "    }"));

    assertThat(vrrp.runners().get(0).instances().get(0).trackFiles())
        .containsExactly(
            new TrackedFile(
                "load", Path.of("/run/keepalived/load"), -1, OptionalInt.empty(), false),
            new TrackedFile(
                "goto_backup", Path.of("/run/keepalived/goto_backup"), 0, OptionalInt.of(0), false),
            new TrackedFile("prio", Path.of("/run/keepalived/prio"), -2, OptionalInt.of(5), true));
  }

  @Test
  void brokenTrackFilesAreNamedAtTheirLines() {
    Path file =
        ConfFiles.write(
            dir,
            "k.conf",
            """
            vrrp_track_file no_file {
                weight 2
            }
            vrrp_track_file relative {
                file prio
            }
            vrrp_track_file bad {
                file /run/bad
                weight 255
                init_file 1 2
                inotify yes
            }
            """
                + instance(
                    "VI_1",
                    51,
                    "eth0",
                    "198.18.0.50",
                    "    track_file {\n        missing\n        bad\n    }"));

    assertThat(problemsOf(file))
        .containsExactly(
            file + ":1: vrrp_track_file no_file: missing 'file'",
            file + ":5: file: 'prio' is not an absolute path",
            file + ":9: weight: expected an integer -254-254, got \"255\"",
            file + ":10: init_file: expected [VALUE] [overwrite], got [1, 2]",
            file + ":11: unknown keyword 'inotify'",
            file + ":20: track_file: no vrrp_track_file named missing");
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
}
