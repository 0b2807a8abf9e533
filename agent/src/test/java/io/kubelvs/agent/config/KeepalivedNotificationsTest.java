package io.kubelvs.agent.config;

import static io.kubelvs.agent.config.ConfFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Notify scripts, smtp_alert and the mail settings of global_defs, read into the node model. */
class KeepalivedNotificationsTest {
  private static final Path SAMPLE = Path.of("..", "samples", "keepalived", "keepalived.conf");

  @TempDir Path dir;

  @Test
  void theSeedMailsItsInstanceAndItsRealServersButNotItsQuorum() throws Exception {
    NodeConfig node = KeepalivedNodeConfig.read(KeepalivedConf.parse(SAMPLE), "director-a");

    assertThat(node.vrrp().smtpAlert()).containsExactly("VI_1");
    Notifications.VirtualServerAlerts vs = alertsOf(node, 0);
    assertThat(vs.smtpAlert()).isFalse();
    assertThat(vs.realServers())
        .containsOnlyKeys(rs("172.16.53.101", 80), rs("172.16.53.102", 80))
        .allSatisfy((address, alerts) -> assertThat(alerts.smtpAlert()).isTrue());
    assertThat(node.notifications().smtpHeloName()).isEqualTo("director-a");
    assertThat(node.notifications().mailFaults()).isTrue();
    assertThat(node.notifications().instances()).isEmpty();
  }

  @Test
  void anInstancesScriptsAreSplitAsKeepalivedSplitsThem() throws Exception {
    Path file =
        write(
            dir,
            "keepalived.conf",
            instance(
                """
                    notify_master "/etc/keepalived/to.sh master 'two words'"
                    notify_backup /etc/keepalived/backup.sh
                    notify_fault "/bin/logger fault"
                    notify_stop /bin/stop.sh
                    notify /etc/keepalived/notify.sh
                """));

    NodeConfig node = KeepalivedNodeConfig.read(KeepalivedConf.parse(file), "director-a");

    assertThat(node.notifications().instance("VI_1"))
        .isEqualTo(
            new Notifications.InstanceScripts(
                script("/etc/keepalived/to.sh", "master", "two words"),
                script("/etc/keepalived/backup.sh"),
                script("/bin/logger", "fault"),
                script("/bin/stop.sh"),
                script("/etc/keepalived/notify.sh")));
    assertThat(node.vrrp().smtpAlert()).isEmpty();
  }

  @Test
  void aRealServersScriptsAndSmtpAlertAreItsOwn() throws Exception {
    Path file =
        write(
            dir,
            "keepalived.conf",
            """
            virtual_server 198.18.0.50 80 {
                smtp_alert
                real_server 198.18.0.101 80 {
                    smtp_alert false
                    notify_up "/bin/rs.sh up"
                    notify_down /bin/rs-down.sh
                    TCP_CHECK {
                    }
                }
                real_server 198.18.0.102 80 {
                }
            }
            """);

    NodeConfig node = KeepalivedNodeConfig.read(KeepalivedConf.parse(file), "director-a");

    Notifications.VirtualServerAlerts vs = alertsOf(node, 0);
    assertThat(vs.smtpAlert()).isTrue();
    assertThat(vs.realServers().get(rs("198.18.0.101", 80)))
        .isEqualTo(
            new Notifications.RealServerAlerts(
                false, script("/bin/rs.sh", "up"), script("/bin/rs-down.sh")));
    assertThat(vs.realServers().get(rs("198.18.0.102", 80)))
        .isEqualTo(new Notifications.RealServerAlerts(true, Optional.empty(), Optional.empty()));
  }

  @Test
  void globalSmtpAlertTurnsRealServerMailOffAndInstanceMailOn() throws Exception {
    Path file =
        write(
            dir,
            "keepalived.conf",
            """
            global_defs {
                smtp_alert false
                smtp_alert_vrrp
            }
            """
                + instance("")
                + """
                virtual_server 198.18.0.50 80 {
                    real_server 198.18.0.101 80 {
                    }
                }
                """);

    NodeConfig node = KeepalivedNodeConfig.read(KeepalivedConf.parse(file), "director-a");

    assertThat(node.vrrp().smtpAlert()).containsExactly("VI_1");
    assertThat(alertsOf(node, 0).smtpAlert()).isFalse();
    assertThat(alertsOf(node, 0).realServers().get(rs("198.18.0.101", 80)).smtpAlert()).isFalse();
  }

  @Test
  void smtpAlertCheckerBeatsSmtpAlertAndAnObjectsOwnSettingBeatsBoth() throws Exception {
    Path file =
        write(
            dir,
            "keepalived.conf",
            """
            global_defs {
                smtp_alert on
                smtp_alert_checker off
            }
            """
                + instance("    smtp_alert no\n")
                + """
                virtual_server 198.18.0.50 80 {
                    real_server 198.18.0.101 80 {
                    }
                    real_server 198.18.0.102 80 {
                        smtp_alert yes
                    }
                }
                """);

    NodeConfig node = KeepalivedNodeConfig.read(KeepalivedConf.parse(file), "director-a");

    assertThat(node.vrrp().smtpAlert()).isEmpty();
    Notifications.VirtualServerAlerts vs = alertsOf(node, 0);
    assertThat(vs.smtpAlert()).isFalse();
    assertThat(vs.realServers().get(rs("198.18.0.101", 80)).smtpAlert()).isFalse();
    assertThat(vs.realServers().get(rs("198.18.0.102", 80)).smtpAlert()).isTrue();
  }

  @Test
  void heloNameNoEmailFaultsAndTheSendersDefaultComeFromGlobalDefs() throws Exception {
    Path file =
        write(
            dir,
            "keepalived.conf",
            """
            global_defs {
                router_id LVS_DEVEL
                smtp_helo_name director-a.example.test
                no_email_faults
            }
            """);

    NodeConfig node = KeepalivedNodeConfig.read(KeepalivedConf.parse(file), "director-a");

    assertThat(node.notifications().smtpHeloName()).isEqualTo("director-a.example.test");
    assertThat(node.notifications().mailFaults()).isFalse();
    // keepalived's default sender is keepalived@ the host name, not the router id.
    assertThat(node.global().notificationFrom()).isEqualTo("keepalived@director-a");
  }

  @Test
  void whatCannotBeHonouredIsRefusedAtItsLine() throws Exception {
    Path file =
        write(
            dir,
            "keepalived.conf",
            """
            global_defs {
                script_user keepalived_script
                enable_script_security
                smtp_alert maybe
            }
            """
                + instance(
                    """
                        notify_master /bin/master.sh nobody
                        notify_backup
                        notify "/bin/notify.sh 'open"
                    """)
                + """
                virtual_server 198.18.0.50 80 {
                    smtp_alert sometimes
                    real_server 198.18.0.101 80 {
                        notify_down /bin/down.sh nobody nogroup
                    }
                }
                """);

    List<String> problems = problemsOf(file);

    assertThat(problems)
        .containsExactly(
            file + ":2: script_user is not supported yet: notify scripts run as the agent's user",
            file
                + ":3: enable_script_security is not supported yet: notify scripts run as the"
                + " agent's user",
            file + ":4: smtp_alert: expected true or false (or no value), got 'maybe'",
            file
                + ":9: notify_master: a script user ('nobody') is not supported yet: scripts run"
                + " as the agent's user; write a command with arguments in one pair of double"
                + " quotes",
            file + ":10: notify_backup: expected the script to run",
            file + ":11: notify: missing terminating ' in: /bin/notify.sh 'open",
            file + ":17: smtp_alert: expected true or false (or no value), got 'sometimes'",
            file
                + ":19: notify_down: a script user ('nobody nogroup') is not supported yet:"
                + " scripts run as the agent's user; write a command with arguments in one pair"
                + " of double quotes");
  }

  /** A vrrp_instance VI_1 with {@code extra} lines after its interface and virtual_router_id. */
  private static String instance(String extra) {
    return """
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 51
        """
        + extra
        + """
            virtual_ipaddress {
                198.18.0.50
            }
        }
        """;
  }

  private static List<String> problemsOf(Path file) throws Exception {
    try {
      KeepalivedNodeConfig.read(KeepalivedConf.parse(file), "director-a");
    } catch (KeepalivedConfException refused) {
      return refused.problems().stream().map(ConfProblem::toString).toList();
    }
    throw new AssertionError(file + " was accepted, a problem was expected");
  }

  private static Notifications.VirtualServerAlerts alertsOf(NodeConfig node, int index) {
    String id = node.virtualServers().get(index).service().key().toString();
    return node.notifications().virtualServers().get(id);
  }

  private static Optional<NotifyScript> script(String... words) {
    return Optional.of(new NotifyScript(List.of(words)));
  }

  private static InetSocketAddress rs(String address, int port) throws Exception {
    return new InetSocketAddress(InetAddress.getByName(address), port);
  }
}
