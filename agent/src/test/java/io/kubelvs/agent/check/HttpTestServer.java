package io.kubelvs.agent.check;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A real TCP (or TLS) server on a loopback address, for the checker tests: it accepts, reads the
 * request up to its blank line, records what it saw ({@link Seen}: the client's address, the
 * request bytes, the SNI names of the TLS handshake) and then acts out a {@link Behavior}: answer
 * at once or late, never answer, reset mid-response, trickle. Blocking sockets on a few threads:
 * simple, and independent of the Netty code under test.
 */
final class HttpTestServer implements AutoCloseable {
  /** What the server does with one accepted connection after reading the request. */
  @FunctionalInterface
  interface Behavior {
    void act(Socket socket, OutputStream out) throws Exception;
  }

  /** One connection as the server saw it. */
  record Seen(InetSocketAddress client, String request, List<String> serverNames) {}

  private static final int MAX_REQUEST = 16 * 1024;

  private final ServerSocket listener;
  private final Optional<SSLContext> tls;
  private final boolean readWholeRequest;
  private final Behavior behavior;
  private final ExecutorService threads = Executors.newCachedThreadPool(daemon());
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
  private final CountDownLatch closed = new CountDownLatch(1);

  private HttpTestServer(
      ServerSocket listener,
      Optional<SSLContext> tls,
      boolean readWholeRequest,
      Behavior behavior) {
    this.listener = listener;
    this.tls = tls;
    this.readWholeRequest = readWholeRequest;
    this.behavior = behavior;
    threads.execute(this::acceptLoop);
  }

  static HttpTestServer start(InetAddress address, Behavior behavior) throws IOException {
    return new HttpTestServer(new ServerSocket(0, 50, address), Optional.empty(), true, behavior);
  }

  /**
   * A server that acts after the first bytes of whatever the client sends, as an HTTP server
   * answers a TLS ClientHello with an error.
   */
  static HttpTestServer startAnsweringAnything(InetAddress address, Behavior behavior)
      throws IOException {
    return new HttpTestServer(new ServerSocket(0, 50, address), Optional.empty(), false, behavior);
  }

  /**
   * A TLS server: TLS runs over each accepted plain socket, and behaviours get that plain socket,
   * so {@link #resetAfter} resets the TCP connection without a TLS close_notify, as a crash does.
   */
  static HttpTestServer startTls(InetAddress address, SSLContext context, Behavior behavior)
      throws IOException {
    return new HttpTestServer(
        new ServerSocket(0, 50, address), Optional.of(context), true, behavior);
  }

  InetSocketAddress address() {
    return (InetSocketAddress) listener.getLocalSocketAddress();
  }

  /** The next connection the server read a request from, waiting up to 10 s. */
  Seen nextSeen() throws InterruptedException {
    Seen next = seen.poll(10, TimeUnit.SECONDS);
    if (next == null) {
      throw new AssertionError("the server at " + address() + " saw no request within 10 s");
    }
    return next;
  }

  // ---- behaviours ----

  static Behavior respond(String response) {
    return (socket, out) -> out.write(response.getBytes(StandardCharsets.ISO_8859_1));
  }

  static Behavior respondAfter(Duration delay, String response) {
    return (socket, out) -> {
      Thread.sleep(delay.toMillis());
      respond(response).act(socket, out);
    };
  }

  /** Keeps the connection open, silent, until the server closes. */
  Behavior neverAnswer() {
    return (socket, out) -> closed.await();
  }

  /** Sends {@code partial}, then an RST (SO_LINGER 0 and close), as a crashing server does. */
  static Behavior resetAfter(String partial) {
    return (socket, out) -> {
      out.write(partial.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      Thread.sleep(50); // let the bytes reach the client before the RST
      socket.setSoLinger(true, 0);
      socket.close();
    };
  }

  /** Sends {@code head} at once, then one more byte every {@code interval}, never finishing. */
  Behavior trickle(String head, Duration interval) {
    return (socket, out) -> {
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      while (!closed.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
        out.write('x');
        out.flush();
      }
    };
  }

  static String response(int status, String body) {
    return "HTTP/1.0 "
        + status
        + " Test\r\nContent-Type: text/plain\r\nContent-Length: "
        + body.getBytes(StandardCharsets.ISO_8859_1).length
        + "\r\n\r\n"
        + body;
  }

  // ---- machinery ----

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket socket = listener.accept();
        open.add(socket);
        threads.execute(() -> serve(socket));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      Socket stream = socket;
      if (tls.isPresent()) {
        SSLSocket layered =
            (SSLSocket)
                tls.get().getSocketFactory().createSocket(socket, null, socket.getPort(), false);
        layered.setUseClientMode(false);
        stream = layered;
      }
      String request =
          readWholeRequest
              ? readRequest(stream.getInputStream())
              : readSome(stream.getInputStream());
      seen.add(new Seen((InetSocketAddress) socket.getRemoteSocketAddress(), request, sni(stream)));
      OutputStream out = stream.getOutputStream();
      behavior.act(socket, out);
      out.flush();
      stream.close();
    } catch (Exception e) {
      // A client that gave up (timeout, failed handshake) is part of the tests; nothing to do.
    } finally {
      open.remove(socket);
    }
  }

  private static String readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    while (request.size() < MAX_REQUEST) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      request.write(b);
      if (request.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        break;
      }
    }
    return request.toString(StandardCharsets.ISO_8859_1);
  }

  private static String readSome(InputStream in) throws IOException {
    byte[] buffer = new byte[MAX_REQUEST];
    int read = in.read(buffer);
    return new String(buffer, 0, Math.max(read, 0), StandardCharsets.ISO_8859_1);
  }

  private static List<String> sni(Socket socket) {
    if (socket instanceof SSLSocket tls && tls.getSession() instanceof ExtendedSSLSession session) {
      return session.getRequestedServerNames().stream()
          .filter(SNIHostName.class::isInstance)
          .map(name -> ((SNIHostName) name).getAsciiName())
          .toList();
    }
    return List.of();
  }

  @Override
  public void close() throws IOException {
    closed.countDown();
    listener.close();
    for (Socket socket : open) {
      socket.close();
    }
    threads.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return runnable -> {
      Thread thread = new Thread(runnable, "http-test-server");
      thread.setDaemon(true);
      return thread;
    };
  }
}
