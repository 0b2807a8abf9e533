package io.kubelvs.agent.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.check.HealthEvent;
import io.kubelvs.agent.config.KeepalivedConf;
import io.kubelvs.agent.config.KeepalivedNodeConfig;
import io.kubelvs.agent.config.NodeConfig;
import io.kubelvs.agent.vrrp.StateChange;
import io.kubelvs.agent.vrrp.VrrpRole;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VRRP state changes and health events become keepalived's mail, through a real SMTP server on
 * 127.0.0.1, and keepalived's notify scripts, run for real.
 */
class NotifierTest {
  private static final Instant NOW = Instant.parse("2024-05-06T07:08:09Z");

  @TempDir Path dir;

  private final Notifier notifier =
      new Notifier(new MailSender(), new NotifyScripts(), InstantSource.fixed(NOW), ZoneOffset.UTC);

  @AfterEach
  void close() {
    notifier.close();
  }

  @Test
  void becomingMasterIsMailedAsKeepalivedMailsIt() throws Exception {
    try (TestSmtpServer server = new TestSmtpServer(Map.of())) {
      notifier.apply(config(server, "root@localhost", ""));

      notifier.onStateChange(
          new StateChange("VI_1", VrrpRole.BACKUP, VrrpRole.MASTER, "master down interval", 0));

      TestSmtpServer.Conversation mail = server.next();
      assertThat(mail.commands())
          .containsExactly(
              "HELO director-a",
              "MAIL FROM:<keepalived@director-a>",
              "RCPT TO:<root@localhost>",
              "RCPT TO:<ops@example.test>",
              "DATA",
              "QUIT");
      assertThat(mail.data())
          .containsExactly(
              "Date: Mon, 06 May 2024 07:08:09 +0000",
              "From: keepalived@director-a",
              "Subject: [LVS_DEVEL] VRRP Instance VI_1 - Entering MASTER state",
              "X-Mailer: kubelvs (keepalived-compatible)",
              "To: root@localhost, ops@example.test",
              "Message-ID: <" + NOW.toEpochMilli() + ".1.kubelvs@director-a>",
              "",
              "=> VRRP Instance is now owning VRRP VIPs <=");
    }
  }

  @Test
  void aMasterResumedAfterAReconfigurationIsNotMailedAgain() throws Exception {
    try (TestSmtpServer server = new TestSmtpServer(Map.of())) {
      notifier.apply(config(server, "root@localhost", ""));

      notifier.onStateChange(
          new StateChange("VI_1", VrrpRole.MASTER, VrrpRole.MASTER, "start, resumed as master", 0));
      notifier.onStateChange(
          new StateChange("VI_1", VrrpRole.MASTER, VrrpRole.BACKUP, "higher priority", 0));

      assertThat(server.next().data())
          .contains("Subject: [LVS_DEVEL] VRRP Instance VI_1 - Entering BACKUP state");
    }
  }

  @Test
  void aRealServerGoingDownThenUpIsMailedWithItsChecksWords() throws Exception {
    try (TestSmtpServer server = new TestSmtpServer(Map.of())) {
      NodeConfig config = config(server, "root@localhost", "");
      notifier.apply(config);
      String vs = config.virtualServers().get(0).checks().id();
      InetSocketAddress rs = new InetSocketAddress(InetAddress.getByName("198.18.0.101"), 80);

      notifier.onHealthEvent(new HealthEvent.RealServerDown(vs, rs, "HTTP 503", NOW));
      TestSmtpServer.Conversation down = server.next();
      notifier.onHealthEvent(new HealthEvent.RealServerUp(vs, rs, "HTTP 200", NOW));
      TestSmtpServer.Conversation up = server.next();

      assertThat(down.data())
          .contains(
              "Subject: [LVS_DEVEL] Realserver [198.18.0.101]:tcp:80 of virtual server"
                  + " [198.18.0.50]:tcp:80 - DOWN")
          .endsWith(
              "", "=> CHECK failed on service : HTTP request failed <=", "", "reason: HTTP 503");
      assertThat(up.data())
          .contains(
              "Subject: [LVS_DEVEL] Realserver [198.18.0.101]:tcp:80 of virtual server"
                  + " [198.18.0.50]:tcp:80 - UP")
          .endsWith("", "=> CHECK succeed on service <=");
    }
  }

  @Test
  void scriptsRunWithKeepalivedsArguments() throws Exception {
    Path out = dir.resolve("calls");
    Path record = dir.resolve("record.sh");
    Files.writeString(record, "#!/bin/sh\necho \"$*\" >> " + out + "\n");
    Files.setPosixFilePermissions(record, PosixFilePermissions.fromString("rwx------"));
    try (TestSmtpServer server = new TestSmtpServer(Map.of())) {
      NodeConfig config =
          config(
              server,
              "root@localhost",
              "notify_master \"" + record + " master\"\n    notify " + record + "\n");
      notifier.apply(config);
      String vs = config.virtualServers().get(0).checks().id();

      notifier.onStateChange(
          new StateChange("VI_1", VrrpRole.BACKUP, VrrpRole.MASTER, "master down interval", 0));
      notifier.onHealthEvent(
          new HealthEvent.RealServerUp(
              vs, new InetSocketAddress(InetAddress.getByName("198.18.0.101"), 80), "ok", NOW));

      assertThat(awaitLines(out, 3))
          .containsExactlyInAnyOrder("master", "INSTANCE VI_1 MASTER 150", "up 198.18.0.101");
    }
  }

  @Test
  void quorumChangesRunQuorumUpAndQuorumDown() throws Exception {
    Path out = dir.resolve("calls");
    Path record = dir.resolve("record.sh");
    Files.writeString(record, "#!/bin/sh\necho \"$*\" >> " + out + "\n");
    Files.setPosixFilePermissions(record, PosixFilePermissions.fromString("rwx------"));
    try (TestSmtpServer server = new TestSmtpServer(Map.of())) {
      NodeConfig config = config(server, "root@localhost", "");
      notifier.apply(config);
      String vs = config.virtualServers().get(0).checks().id();

      notifier.onHealthEvent(new HealthEvent.QuorumLost(vs, 0, 1, 0, NOW));
      assertThat(awaitLines(out, 1)).containsExactly("quorum-down");
      notifier.onHealthEvent(new HealthEvent.QuorumRegained(vs, 1, 1, 0, NOW));
      assertThat(awaitLines(out, 2)).containsExactly("quorum-down", "quorum-up");
    }
  }

  @Test
  void afterAReloadMailGoesToTheNewRecipients() throws Exception {
    try (TestSmtpServer server = new TestSmtpServer(Map.of())) {
      notifier.apply(config(server, "old@example.test", ""));
      notifier.apply(config(server, "new@example.test", ""));

      notifier.onStateChange(
          new StateChange("VI_1", VrrpRole.MASTER, VrrpRole.BACKUP, "higher priority", 0));

      assertThat(server.next().commands())
          .contains("RCPT TO:<new@example.test>")
          .doesNotContain("RCPT TO:<old@example.test>");
    }
  }

  private NodeConfig config(TestSmtpServer server, String recipient, String instanceLines)
      throws Exception {
    Path file = dir.resolve("keepalived-" + System.nanoTime() + ".conf");
    Files.writeString(
        file,
        """
        global_defs {
            notification_email {
                %s
                ops@example.test
            }
            smtp_server %s %d
            smtp_connect_timeout 10
            router_id LVS_DEVEL
        }
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 51
            priority 150
            smtp_alert
            %s
            virtual_ipaddress {
                198.18.0.50
            }
        }
        virtual_server 198.18.0.50 80 {
            lb_kind DR
            quorum_up "%5$s quorum-up"
            quorum_down "%5$s quorum-down"
            real_server 198.18.0.101 80 {
                notify_up "%5$s up 198.18.0.101"
                HTTP_GET {
                    url {
                        path /
                    }
                }
            }
        }
        """
            .formatted(
                recipient,
                server.address().getAddress().getHostAddress(),
                server.address().getPort(),
                instanceLines,
                dir.resolve("record.sh")));
    return KeepalivedNodeConfig.read(KeepalivedConf.parse(file), "director-a");
  }

  /** The file's lines once it has {@code count} of them; the scripts run on their own threads. */
  private static List<String> awaitLines(Path file, int count) throws Exception {
    for (int i = 0; i < 300; i++) {
      if (Files.exists(file)) {
        List<String> lines = Files.readAllLines(file);
        if (lines.size() >= count) {
          return lines;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the scripts did not all run: " + file);
  }
}
