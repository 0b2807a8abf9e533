package io.kubelvs.agent.notify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A small SMTP server on 127.0.0.1 for tests: it speaks RFC 5321's replies (220, 250, 354, 221), or
 * the reply a test sets for a command, and records each conversation: the commands, the envelope
 * and the data lines as they came over the wire. A line not ended by CRLF is recorded with {@code
 * [bare LF]} after it, so that a test comparing lines catches it.
 */
final class TestSmtpServer implements AutoCloseable {
  /** One connection's conversation. */
  record Conversation(List<String> commands, List<String> data) {
    /** The data as the client meant it: dot-stuffing undone. */
    List<String> message() {
      return data.stream().map(line -> line.startsWith(".") ? line.substring(1) : line).toList();
    }
  }

  private final ServerSocket listener;
  private final Map<String, String> replies;
  private final BlockingQueue<Conversation> conversations = new LinkedBlockingQueue<>();
  private final Thread acceptor;

  /**
   * @param replies a reply line by command verb ({@code RCPT}), instead of the usual one
   */
  TestSmtpServer(Map<String, String> replies) throws IOException {
    this.replies = Map.copyOf(replies);
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::acceptAll, "test-smtp");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  InetSocketAddress address() {
    return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
  }

  /** The next finished conversation; fails the test if none comes. */
  Conversation next() throws InterruptedException {
    Conversation conversation = conversations.poll(30, TimeUnit.SECONDS);
    if (conversation == null) {
      throw new AssertionError("no SMTP conversation reached the test server");
    }
    return conversation;
  }

  private void acceptAll() {
    while (!listener.isClosed()) {
      try (Socket client = listener.accept()) {
        conversations.add(converse(client));
      } catch (IOException e) {
        // Closed by the test, or a client that went away: the next one is served.
      }
    }
  }

  private Conversation converse(Socket client) throws IOException {
    List<String> commands = new ArrayList<>();
    List<String> data = new ArrayList<>();
    InputStream in = client.getInputStream();
    OutputStream out = client.getOutputStream();
    reply(out, "220 test.invalid ESMTP test server");
    String line;
    while ((line = readLine(in)) != null) {
      commands.add(line);
      String verb = line.split("[ :]", 2)[0].toUpperCase();
      String override = replies.get(verb);
      if (override != null) {
        reply(out, override);
        continue;
      }
      switch (verb) {
        case "DATA" -> {
          reply(out, "354 end with <CRLF>.<CRLF>");
          String dataLine;
          while ((dataLine = readLine(in)) != null && !dataLine.equals(".")) {
            data.add(dataLine);
          }
          reply(out, "250 2.0.0 queued");
        }
        case "QUIT" -> {
          reply(out, "221 2.0.0 bye");
          return new Conversation(commands, data);
        }
        case "HELO", "MAIL", "RCPT" -> reply(out, "250-test.invalid\r\n250 2.1.0 ok");
        default -> reply(out, "502 5.5.2 command not recognized");
      }
    }
    return new Conversation(commands, data);
  }

  private static void reply(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** One line without its CRLF; null at the end of the stream. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
          return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
        }
        return new String(bytes, StandardCharsets.UTF_8) + "[bare LF]";
      }
      line.write(b);
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
