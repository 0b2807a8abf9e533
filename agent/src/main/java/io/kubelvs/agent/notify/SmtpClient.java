package io.kubelvs.agent.notify;

import io.kubelvs.agent.notify.SmtpException.Step;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One SMTP conversation (RFC 5321), the one keepalived's core/smtp.c holds: connect, the 220
 * greeting, HELO, MAIL FROM, one RCPT TO per recipient, DATA, the message ended by a lone dot,
 * QUIT. Every reply is checked for the code keepalived expects (220, 250, 354) and any other ends
 * the mail with an {@link SmtpException} naming the relay and the step; a multi-line reply ({@code
 * 250-...}) counts by its last line. Like keepalived there is no retry, no EHLO, no TLS and no
 * authentication: the relay is a local MTA that accepts the director's mail.
 *
 * <p>Blocking, for the mail thread only: the connect and each reply are bounded by the relay's
 * timeout, and {@link #abort()} ends a conversation from another thread.
 */
final class SmtpClient {
  private final SmtpRelay relay;
  private final Socket socket = new Socket();
  private BufferedReader in;
  private OutputStream out;

  SmtpClient(SmtpRelay relay) {
    this.relay = relay;
  }

  /** Sends {@code message} through {@code relay}. */
  static void send(SmtpRelay relay, MailMessage message) throws SmtpException {
    new SmtpClient(relay).deliver(message);
  }

  /** Holds the whole conversation for {@code message}; the connection is closed at the end. */
  void deliver(MailMessage message) throws SmtpException {
    try (socket) {
      connect();
      expect(Step.GREETING, 220);
      command(Step.HELO, "HELO " + relay.heloName(), 250);
      command(Step.MAIL_FROM, "MAIL FROM:<" + message.from() + ">", 250);
      for (String recipient : message.to()) {
        command(Step.RCPT_TO, "RCPT TO:<" + recipient + ">", 250);
      }
      command(Step.DATA, "DATA", 354);
      write(Step.MESSAGE, MailText.render(message) + ".\r\n");
      expect(Step.MESSAGE, 250);
      // The mail is accepted; like keepalived, a QUIT that goes wrong changes nothing.
      try {
        command(Step.QUIT, "QUIT", 221);
      } catch (SmtpException ignored) {
        // Accepted mail is delivered whatever the goodbye says.
      }
    } catch (IOException closing) {
      // Closing the socket after the conversation; the mail's fate is already known.
    }
  }

  /** Closes the connection, so that a conversation blocked on the relay ends now. */
  void abort() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Already closed: nothing left to end.
    }
  }

  private void connect() throws SmtpException {
    int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, relay.timeout().toMillis());
    try {
      socket.connect(resolved(relay.server()), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      out = socket.getOutputStream();
    } catch (SocketTimeoutException e) {
      throw failure(Step.CONNECT, "no connection within " + relay.timeout().toMillis() + " ms", e);
    } catch (IOException e) {
      throw failure(Step.CONNECT, describe(e), e);
    }
  }

  /**
   * A relay given by host name (a Director's {@code smtpServer} may be one) is looked up at each
   * mail, on the mail thread, so that reading a config never waits for DNS and a name that moves is
   * followed. A name that does not resolve stays unresolved and fails the connect, naming it.
   */
  private static InetSocketAddress resolved(InetSocketAddress server) {
    return server.isUnresolved()
        ? new InetSocketAddress(server.getHostString(), server.getPort())
        : server;
  }

  private void command(Step step, String line, int expected) throws SmtpException {
    write(step, line + "\r\n");
    expect(step, expected);
  }

  private void write(Step step, String text) throws SmtpException {
    try {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw failure(step, "cannot send: " + describe(e), e);
    }
  }

  /** Reads one reply, all its lines, and checks its code. */
  private void expect(Step step, int expected) throws SmtpException {
    List<String> lines = new ArrayList<>();
    String line;
    do {
      try {
        line = in.readLine();
      } catch (SocketTimeoutException e) {
        throw failure(step, "no reply within " + relay.timeout().toMillis() + " ms", e);
      } catch (IOException e) {
        throw failure(step, "cannot read the reply: " + describe(e), e);
      }
      if (line == null) {
        throw failure(step, "the relay closed the connection", null);
      }
      if (line.length() < 3 || !isCode(line.substring(0, 3))) {
        throw failure(step, "not an SMTP reply: \"" + line + "\"", null);
      }
      lines.add(line);
    } while (line.length() > 3 && line.charAt(3) == '-');
    int code = Integer.parseInt(line.substring(0, 3));
    if (code != expected) {
      throw failure(
          step, "expected " + expected + ", got \"" + String.join(" / ", lines) + "\"", null);
    }
  }

  private static boolean isCode(String text) {
    return text.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private SmtpException failure(Step step, String reason, Throwable cause) {
    return new SmtpException(relay.name(), step, reason, cause);
  }

  private static String describe(IOException e) {
    if (e instanceof UnknownHostException) {
      return "unknown host " + e.getMessage();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
