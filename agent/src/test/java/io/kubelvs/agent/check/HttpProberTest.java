package io.kubelvs.agent.check;

import static io.kubelvs.agent.check.HttpTestServer.respond;
import static io.kubelvs.agent.check.HttpTestServer.respondAfter;
import static io.kubelvs.agent.check.HttpTestServer.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** HTTP_GET against real HTTP servers the tests run on loopback. */
class HttpProberTest {
  private static final Duration TIMEOUT = Duration.ofMillis(500);

  private final CheckEventLoops loops = new CheckEventLoops();
  private final TlsContexts tls = TlsContexts.withSystemTrustStore();
  private final List<HttpTestServer> servers = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (HttpTestServer server : servers) {
      server.close();
    }
    loops.close();
  }

  @Test
  void upWithHttp200() throws Exception {
    HttpTestServer server = serve(respond(response(200, "ok")));

    assertThat(probe(HttpGetCheck.of("/health"), server)).isEqualTo(ProbeResult.up("HTTP 200"));
  }

  @Test
  void sendsKeepalivedsHttp10RequestWithAddressAsHost() throws Exception {
    HttpTestServer server = serve(respond(response(200, "ok")));

    probe(HttpGetCheck.of("/health?deep=1"), server);

    assertThat(server.nextSeen().request())
        .isEqualTo(
            "GET /health?deep=1 HTTP/1.0\r\n"
                + "User-Agent: KeepAliveClient\r\n"
                + "Host: 127.0.0.1:"
                + server.address().getPort()
                + "\r\n\r\n");
  }

  @Test
  void http11SendsConnectionCloseAndTheVirtualHost() throws Exception {
    HttpTestServer server = serve(respond(response(200, "ok")));
    HttpGetCheck check =
        new HttpGetCheck(
            "/",
            List.of(),
            Optional.empty(),
            Optional.of("www.example.com"),
            HttpVersion.HTTP_1_1,
            Optional.empty());

    assertThat(probe(check, server).healthy()).isTrue();
    assertThat(server.nextSeen().request())
        .isEqualTo(
            "GET / HTTP/1.1\r\n"
                + "User-Agent: KeepAliveClient\r\n"
                + "Connection: close\r\n"
                + "Host: www.example.com\r\n\r\n");
  }

  @Test
  void ipv6TargetIsBracketedInTheHostHeader() throws Exception {
    HttpTestServer server =
        track(HttpTestServer.start(InetAddress.getByName("::1"), respond(response(200, "ok"))));

    assertThat(probe(HttpGetCheck.of("/"), server).healthy()).isTrue();
    assertThat(server.nextSeen().request())
        .contains("\r\nHost: [::1]:" + server.address().getPort() + "\r\n");
  }

  @Test
  void downWithTheStatusWhenOutsideTheDefaultRange() throws Exception {
    HttpTestServer server = serve(respond(response(503, "maintenance")));

    assertThat(probe(HttpGetCheck.of("/"), server)).isEqualTo(ProbeResult.down("HTTP 503"));
  }

  @ParameterizedTest(name = "status {0} with ranges {1} is healthy: {2}")
  @CsvSource({
    "200, 200-299, true",
    "302, 200-299, false",
    "302, 200 301-302, true",
    "301, 200 301-302, true",
    "204, 200 301-302, false",
    "404, 404, true",
    "500, 200-499, false",
  })
  void statusCodeRangesDecide(int status, String ranges, boolean healthy) throws Exception {
    HttpTestServer server = serve(respond(response(status, "body")));
    List<StatusCodeRange> codes = new ArrayList<>();
    for (String range : ranges.split(" ")) {
      codes.add(StatusCodeRange.parse(range));
    }
    HttpGetCheck check =
        new HttpGetCheck(
            "/", codes, Optional.empty(), Optional.empty(), HttpVersion.HTTP_1_0, Optional.empty());

    ProbeResult result = probe(check, server);

    assertThat(result.healthy()).isEqualTo(healthy);
    assertThat(result.reason()).isEqualTo("HTTP " + status);
  }

  @Test
  void upWhenTheBodyDigestMatches() throws Exception {
    HttpTestServer server = serve(respond(response(200, "hello")));

    assertThat(probe(withDigest("5d41402abc4b2a76b9719d911017c592"), server))
        .isEqualTo(ProbeResult.up("HTTP 200"));
  }

  @Test
  void downWithBothDigestsWhenTheBodyChanged() throws Exception {
    HttpTestServer server = serve(respond(response(200, "hello")));

    assertThat(probe(withDigest("9b3a0c3d5e6f708192a3b4c5d6e7f809"), server))
        .isEqualTo(
            ProbeResult.down(
                "digest mismatch: expected 9b3a0c3d5e6f708192a3b4c5d6e7f809,"
                    + " got 5d41402abc4b2a76b9719d911017c592"));
  }

  @Test
  void digestCoversNoMoreThanContentLength() throws Exception {
    HttpTestServer server =
        serve(respond("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello, and more after it"));

    assertThat(probe(withDigest(md5Hex("hello")), server).healthy()).isTrue();
  }

  @Test
  void digestOfABodyWithoutContentLengthRunsToTheEndOfTheConnection() throws Exception {
    String body = "a body of unknown length\n".repeat(2000);
    HttpTestServer server = serve(respond("HTTP/1.0 200 OK\r\n\r\n" + body));

    assertThat(probe(withDigest(md5Hex(body)), server)).isEqualTo(ProbeResult.up("HTTP 200"));
  }

  @Test
  void uppercaseDigestInTheConfigMatches() throws Exception {
    HttpTestServer server = serve(respond(response(200, "hello")));

    assertThat(probe(withDigest("5D41402ABC4B2A76B9719D911017C592"), server).healthy()).isTrue();
  }

  @Test
  void connectionRefused() throws Exception {
    InetSocketAddress closedPort = closedLoopbackPort();

    ProbeResult result =
        prober(HttpGetCheck.of("/")).probe(target(closedPort)).get(10, TimeUnit.SECONDS);

    assertThat(result).isEqualTo(ProbeResult.down("connection refused"));
  }

  @Test
  void slowServerAnsweringAfterTheTimeoutIsDown() throws Exception {
    HttpTestServer server = serve(respondAfter(Duration.ofSeconds(3), response(200, "late")));

    assertThat(probe(HttpGetCheck.of("/"), server))
        .isEqualTo(ProbeResult.down("no response within 500ms"));
  }

  @Test
  void serverThatAcceptsAndNeverAnswersIsDown() throws Exception {
    HttpTestServer server = serveNeverAnswering();

    assertThat(probe(HttpGetCheck.of("/"), server))
        .isEqualTo(ProbeResult.down("no response within 500ms"));
  }

  @Test
  void resetWithinTheHeaderIsDownWithTheBytesReceived() throws Exception {
    String partial = "HTTP/1.0 200 OK\r\nContent-Le";
    HttpTestServer server = serve(HttpTestServer.resetAfter(partial));

    assertThat(probe(HttpGetCheck.of("/"), server))
        .isEqualTo(ProbeResult.down("connection reset after " + partial.length() + " bytes"));
  }

  @Test
  void resetWithinTheBodyIsDownEvenWithAGoodStatus() throws Exception {
    String partial = "HTTP/1.0 200 OK\r\nContent-Length: 100\r\n\r\nonly part of it";
    HttpTestServer server = serve(HttpTestServer.resetAfter(partial));

    assertThat(probe(HttpGetCheck.of("/"), server))
        .isEqualTo(ProbeResult.down("connection reset after " + partial.length() + " bytes"));
  }

  @Test
  void closedWithoutAResponseIsDown() throws Exception {
    HttpTestServer server = serve((socket, out) -> {});

    assertThat(probe(HttpGetCheck.of("/"), server))
        .isEqualTo(ProbeResult.down("connection closed without a response"));
  }

  @Test
  void somethingOtherThanHttpIsNamed() throws Exception {
    HttpTestServer server = serve(respond("SSH-2.0-OpenSSH_9.2\r\n"));

    ProbeResult result = probe(HttpGetCheck.of("/"), server);

    assertThat(result.healthy()).isFalse();
    assertThat(result.reason()).startsWith("not an HTTP response: starts with \"SSH-2.0-OpenSSH");
  }

  @Test
  void responseTricklingForeverIsCutAtThreeTimeouts() throws Exception {
    HttpTestServer trickling =
        serveWith(s -> s.trickle("HTTP/1.0 200 OK\r\n\r\n", Duration.ofMillis(100)));

    ProbeResult result = probe(HttpGetCheck.of("/"), trickling);

    assertThat(result.healthy()).isFalse();
    assertThat(result.reason()).startsWith("response not complete within 1.5s (");
  }

  @Test
  void shortBodyIsJudgedLikeKeepalivedAndSaidSo() throws Exception {
    HttpTestServer server = serve(respond("HTTP/1.0 200 OK\r\nContent-Length: 10\r\n\r\nabc"));

    assertThat(probe(HttpGetCheck.of("/"), server))
        .isEqualTo(ProbeResult.up("HTTP 200 (body 3 of 10 bytes)"));
  }

  @Test
  void bodyBeyondTheReadCapFailsOnlyWhenADigestNeedsIt() throws Exception {
    String body = "x".repeat((int) HttpResponseReader.MAX_BODY_BYTES + 4096);
    HttpTestServer server = serve(respond("HTTP/1.0 200 OK\r\n\r\n" + body));

    assertThat(probe(HttpGetCheck.of("/"), server)).isEqualTo(ProbeResult.up("HTTP 200"));
    assertThat(probe(withDigest(md5Hex(body)), server))
        .isEqualTo(
            ProbeResult.down("response body longer than 1 MiB, too long to check its digest"));
  }

  @Test
  void bindAddressIsTheSourceTheServerSees() throws Exception {
    HttpTestServer server = serve(respond(response(200, "ok")));
    InetSocketAddress bind = new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0);
    ProbeTarget target = new ProbeTarget(server.address(), Optional.of(bind), TIMEOUT);

    ProbeResult result = prober(HttpGetCheck.of("/")).probe(target).get(10, TimeUnit.SECONDS);

    assertThat(result.healthy()).isTrue();
    assertThat(server.nextSeen().client().getAddress().getHostAddress()).isEqualTo("127.0.0.2");
  }

  @Test
  void aSilentServerDoesNotHoldUpOtherChecks() throws Exception {
    HttpTestServer silent = serveNeverAnswering();
    HttpTestServer healthy = serve(respond(response(200, "ok")));
    ProbeTarget patient =
        new ProbeTarget(silent.address(), Optional.empty(), Duration.ofSeconds(3));

    CompletableFuture<ProbeResult> waiting = prober(HttpGetCheck.of("/")).probe(patient);
    ProbeResult other = probe(HttpGetCheck.of("/"), healthy);

    assertThat(other).isEqualTo(ProbeResult.up("HTTP 200"));
    assertThat(waiting).isNotDone();
    assertThat(waiting.get(20, TimeUnit.SECONDS))
        .isEqualTo(ProbeResult.down("no response within 3s"));
  }

  @Test
  void aServerThatClosedFirstKeepsNoTimeWaitFromTheCheck() throws Exception {
    // HTTP/1.0 without Content-Length: the body ends with the server's FIN, so the checker has
    // always seen it before closing, and answers it with an RST.
    HttpTestServer server = serve(respond("HTTP/1.0 200 OK\r\n\r\nok"));
    int port = server.address().getPort();
    long before = timeWaitCount(port);
    // The baseline, so that the count below could not read 0 by accident: a client that closes
    // with a FIN leaves the server's end of each connection in TIME_WAIT for 60 s.
    try (Socket client = new Socket(server.address().getAddress(), port)) {
      client.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      client.getInputStream().readAllBytes();
    }
    awaitTimeWaitCount(port, before + 1);

    for (int i = 0; i < 5; i++) {
      assertThat(probe(HttpGetCheck.of("/"), server)).isEqualTo(ProbeResult.up("HTTP 200"));
    }

    Thread.sleep(200);
    assertThat(timeWaitCount(port)).isEqualTo(before + 1);
  }

  @Test
  void aServerStillHoldingTheConnectionIsClosedWithAFinNotAReset() throws Exception {
    CompletableFuture<String> serverRead = new CompletableFuture<>();
    HttpTestServer server =
        serve(
            (socket, out) -> {
              out.write(response(200, "ok").getBytes(StandardCharsets.ISO_8859_1));
              out.flush();
              try {
                int next = socket.getInputStream().read();
                serverRead.complete(next < 0 ? "end of stream" : "byte " + next);
              } catch (IOException e) {
                serverRead.complete(e.getMessage());
              }
            });

    assertThat(probe(HttpGetCheck.of("/"), server)).isEqualTo(ProbeResult.up("HTTP 200"));

    assertThat(serverRead.get(5, TimeUnit.SECONDS)).isEqualTo("end of stream");
  }

  @Test
  void aRequestLineThatWouldSmuggleAHeaderIsRejectedWhenTheProberIsMade() {
    HttpGetCheck check = HttpGetCheck.of("/health HTTP/1.0\r\nX-Evil: 1");

    assertThatThrownBy(() -> prober(check))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("path");
  }

  @Test
  void aDigestThatIsNoMd5IsRejectedWhenTheProberIsMade() {
    assertThatThrownBy(() -> prober(withDigest("not-a-digest")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an MD5 in hex");
  }

  // ---- helpers ----

  private HttpTestServer serve(HttpTestServer.Behavior behavior) throws Exception {
    return track(HttpTestServer.start(InetAddress.getLoopbackAddress(), behavior));
  }

  private HttpTestServer serveNeverAnswering() throws Exception {
    return serveWith(HttpTestServer::neverAnswer);
  }

  /** A server whose behaviour needs the server itself (to wait for its close). */
  private HttpTestServer serveWith(
      java.util.function.Function<HttpTestServer, HttpTestServer.Behavior> behavior)
      throws Exception {
    HttpTestServer[] self = new HttpTestServer[1];
    self[0] = serve((socket, out) -> behavior.apply(self[0]).act(socket, out));
    return self[0];
  }

  private HttpTestServer track(HttpTestServer server) {
    servers.add(server);
    return server;
  }

  private HttpProber prober(HttpGetCheck check) {
    return new HttpProber(loops, tls, check);
  }

  /**
   * Sockets in TIME_WAIT whose local port is {@code port}: /proc/net/tcp and tcp6 (the JDK's server
   * sockets are IPv6 sockets with IPv4-mapped addresses), state 06.
   */
  private static long timeWaitCount(int port) throws IOException {
    String local = String.format(":%04X", port);
    long count = 0;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      count +=
          Files.readAllLines(Path.of(table)).stream()
              .skip(1)
              .map(line -> line.trim().split("\\s+"))
              .filter(fields -> fields[1].endsWith(local) && fields[3].equals("06"))
              .count();
    }
    return count;
  }

  private static void awaitTimeWaitCount(int port, long expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (timeWaitCount(port) != expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(timeWaitCount(port)).isEqualTo(expected);
  }

  private ProbeResult probe(HttpGetCheck check, HttpTestServer server) throws Exception {
    return prober(check).probe(target(server.address())).get(10, TimeUnit.SECONDS);
  }

  private static ProbeTarget target(InetSocketAddress address) {
    return ProbeTarget.of(address, TIMEOUT);
  }

  private static HttpGetCheck withDigest(String digest) {
    return new HttpGetCheck(
        "/",
        List.of(),
        Optional.of(digest),
        Optional.empty(),
        HttpVersion.HTTP_1_0,
        Optional.empty());
  }

  static String md5Hex(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.ISO_8859_1)));
  }

  /** A loopback port nothing listens on: bound once to learn a free one, then closed. */
  static InetSocketAddress closedLoopbackPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return (InetSocketAddress) socket.getLocalSocketAddress();
    }
  }
}
