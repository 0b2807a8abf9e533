package io.kubelvs.agent.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SMTP conversation against a real server on 127.0.0.1. */
class SmtpClientTest {
  private static final ZonedDateTime DATE =
      ZonedDateTime.of(2024, 5, 6, 7, 8, 9, 0, ZoneOffset.ofHours(2));

  @Test
  void aMailGoesThroughEveryStepWithOneRcptPerRecipient() throws Exception {
    try (TestSmtpServer server = new TestSmtpServer(Map.of())) {
      SmtpClient.send(relay(server.address()), message("hello", List.of("a@x.test", "b@y.test")));

      TestSmtpServer.Conversation conversation = server.next();
      assertThat(conversation.commands())
          .containsExactly(
              "HELO director-a",
              "MAIL FROM:<keepalived@director-a>",
              "RCPT TO:<a@x.test>",
              "RCPT TO:<b@y.test>",
              "DATA",
              "QUIT");
      assertThat(conversation.data())
          .containsExactly(
              "Date: Mon, 06 May 2024 07:08:09 +0200",
              "From: keepalived@director-a",
              "Subject: [LVS_DEVEL] test",
              "X-Mailer: kubelvs (keepalived-compatible)",
              "To: a@x.test, b@y.test",
              "Message-ID: <1.test@director-a>",
              "",
              "hello");
    }
  }

  @Test
  void aRelayGivenByNameIsLookedUpWhenTheMailGoes() throws Exception {
    try (TestSmtpServer server = new TestSmtpServer(Map.of())) {
      // A Director's smtpServer may be a host name: the config holds it unresolved.
      InetSocketAddress byName =
          InetSocketAddress.createUnresolved(
              server.address().getAddress().getHostAddress(), server.address().getPort());

      SmtpClient.send(relay(byName), message("hello", List.of("a@x.test")));

      assertThat(server.next().commands()).contains("RCPT TO:<a@x.test>", "QUIT");
    }
  }

  @Test
  void linesStartingWithADotAreDotStuffed() throws Exception {
    try (TestSmtpServer server = new TestSmtpServer(Map.of())) {
      String body = "first\n.\n..two dots\n.hidden\nlast";

      SmtpClient.send(relay(server.address()), message(body, List.of("a@x.test")));

      TestSmtpServer.Conversation conversation = server.next();
      assertThat(conversation.data()).endsWith("first", "..", "...two dots", "..hidden", "last");
      assertThat(conversation.message()).endsWith("first", ".", "..two dots", ".hidden", "last");
    }
  }

  @Test
  void aRefusedRecipientEndsTheMailNamingTheRelayTheStepAndTheReply() throws Exception {
    try (TestSmtpServer server =
        new TestSmtpServer(Map.of("RCPT", "550 5.1.1 <nobody@x.test>: no such user"))) {
      SmtpRelay relay = relay(server.address());

      assertThatThrownBy(() -> SmtpClient.send(relay, message("x", List.of("nobody@x.test"))))
          .isInstanceOfSatisfying(
              SmtpException.class,
              e -> {
                assertThat(e.step()).isEqualTo(SmtpException.Step.RCPT_TO);
                assertThat(e.server()).isEqualTo(relay.name());
              })
          .hasMessage(
              "SMTP "
                  + relay.name()
                  + ": RCPT TO: expected 250, got \"550 5.1.1 <nobody@x.test>: no such user\"");
      assertThat(server.next().commands()).doesNotContain("DATA");
    }
  }

  @Test
  void aRelayThatAcceptsButNeverGreetsTimesOutAtTheGreeting() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread holder =
          new Thread(
              () -> {
                try (Socket ignored = silent.accept()) {
                  Thread.sleep(60_000);
                } catch (Exception e) {
                  // The test is over.
                }
              });
      holder.setDaemon(true);
      holder.start();
      SmtpRelay relay =
          new SmtpRelay(
              new InetSocketAddress(silent.getInetAddress(), silent.getLocalPort()),
              Duration.ofMillis(300),
              "director-a");

      assertThatThrownBy(() -> SmtpClient.send(relay, message("x", List.of("a@x.test"))))
          .isInstanceOfSatisfying(
              SmtpException.class, e -> assertThat(e.step()).isEqualTo(SmtpException.Step.GREETING))
          .hasMessage("SMTP " + relay.name() + ": greeting: no reply within 300 ms");
      holder.interrupt();
    }
  }

  @Test
  void aRelayThatIsNotListeningFailsAtConnect() throws Exception {
    InetSocketAddress closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = new InetSocketAddress(socket.getInetAddress(), socket.getLocalPort());
    }
    SmtpRelay relay = relay(closed);

    assertThatThrownBy(() -> SmtpClient.send(relay, message("x", List.of("a@x.test"))))
        .isInstanceOfSatisfying(
            SmtpException.class, e -> assertThat(e.step()).isEqualTo(SmtpException.Step.CONNECT))
        .hasMessageStartingWith("SMTP " + relay.name() + ": connect: ");
  }

  private static SmtpRelay relay(InetSocketAddress server) {
    return new SmtpRelay(server, Duration.ofSeconds(10), "director-a");
  }

  private static MailMessage message(String body, List<String> to) {
    return new MailMessage(
        "keepalived@director-a", to, "[LVS_DEVEL] test", body, DATE, "<1.test@director-a>");
  }
}
