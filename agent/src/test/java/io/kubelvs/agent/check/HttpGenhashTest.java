package io.kubelvs.agent.check;

import static io.kubelvs.agent.check.HttpTestServer.respond;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * keepalived's own genhash (Debian package keepalived, /usr/bin/genhash) as the oracle: for bodies
 * served by a test server on loopback, the digest genhash prints is the digest our HTTP_GET
 * accepts, and the request genhash sends is byte for byte the request HTTP_GET sends.
 */
class HttpGenhashTest {
  private static final Path GENHASH = Path.of("/usr/bin/genhash");

  private final CheckEventLoops loops = new CheckEventLoops();
  private final List<HttpTestServer> servers = new ArrayList<>();

  @BeforeEach
  void requireGenhash() {
    if (Files.isExecutable(GENHASH)) {
      return;
    }
    String message = GENHASH + " is missing (apt-get install keepalived)";
    if ("true".equals(System.getenv("CI"))) {
      fail(message + ", and CI=true: CI installs keepalived, so this test must run there");
    }
    Assumptions.abort(message + "; skipped");
  }

  @AfterEach
  void stop() throws Exception {
    for (HttpTestServer server : servers) {
      server.close();
    }
    loops.close();
  }

  @Test
  void digestOfAPlainBodyIsGenhashs() throws Exception {
    HttpTestServer server = serve(HttpTestServer.response(200, "<html>healthy</html>\n"));

    assertDigestAgreesWithGenhash(server);
  }

  @Test
  void digestOfAChunkedBodyIsGenhashsWithTheChunkFramingIncluded() throws Exception {
    String chunkedBody = "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n";
    HttpTestServer server =
        serve("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunkedBody);

    String genhash = assertDigestAgreesWithGenhash(server);

    assertThat(genhash)
        .isEqualTo(HttpProberTest.md5Hex(chunkedBody))
        .isNotEqualTo(HttpProberTest.md5Hex("hello, world"));
  }

  @Test
  void digestStopsAtContentLengthAsGenhashDoes() throws Exception {
    HttpTestServer server =
        serve("HTTP/1.0 200 OK\r\nContent-Length: 12\r\n\r\nhello, world and then trailing junk");

    String genhash = assertDigestAgreesWithGenhash(server);

    assertThat(genhash).isEqualTo(HttpProberTest.md5Hex("hello, world"));
  }

  @Test
  void http10RequestIsGenhashs() throws Exception {
    HttpTestServer server = serve(HttpTestServer.response(200, "ok"));

    genhash(server, "-u", "/status");
    HttpGetCheck check = HttpGetCheck.of("/status");
    probe(check, server);

    String fromGenhash = server.nextSeen().request();
    assertThat(server.nextSeen().request())
        .isEqualTo(fromGenhash)
        .startsWith("GET /status HTTP/1.0\r\n");
  }

  @Test
  void http11RequestWithAVirtualHostIsGenhashs() throws Exception {
    HttpTestServer server = serve(HttpTestServer.response(200, "ok"));

    genhash(server, "-u", "/status", "-P", "1.1", "-V", "www.example.com");
    HttpGetCheck check =
        new HttpGetCheck(
            "/status",
            List.of(),
            Optional.empty(),
            Optional.of("www.example.com"),
            HttpVersion.HTTP_1_1,
            Optional.empty());
    probe(check, server);

    String fromGenhash = server.nextSeen().request();
    assertThat(server.nextSeen().request()).isEqualTo(fromGenhash).contains("Connection: close");
  }

  /** genhash's digest of the server's body, checked to be one our HTTP_GET accepts. */
  private String assertDigestAgreesWithGenhash(HttpTestServer server) throws Exception {
    String digest = genhash(server, "-u", "/").strip();
    assertThat(Md5BodyDigest.isHexDigest(digest)).as("genhash printed %s", digest).isTrue();

    HttpGetCheck check =
        new HttpGetCheck(
            "/",
            List.of(),
            Optional.of(digest),
            Optional.empty(),
            HttpVersion.HTTP_1_0,
            Optional.empty());
    assertThat(probe(check, server)).isEqualTo(ProbeResult.up("HTTP 200"));
    return digest;
  }

  private ProbeResult probe(HttpGetCheck check, HttpTestServer server) throws Exception {
    return new HttpProber(loops, TlsContexts.withSystemTrustStore(), check)
        .probe(ProbeTarget.of(server.address(), Duration.ofSeconds(2)))
        .get(10, TimeUnit.SECONDS);
  }

  /** Runs genhash against the server (loopback only) and returns what it printed. */
  private static String genhash(HttpTestServer server, String... options)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(GENHASH.toString());
    command.addAll(List.of("-s", server.address().getAddress().getHostAddress()));
    command.addAll(List.of("-p", Integer.toString(server.address().getPort())));
    command.addAll(List.of("-t", "5"));
    command.addAll(List.of(options));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("genhash did not finish: " + command);
    }
    assertThat(process.exitValue()).as("genhash exit status; output: %s", output).isZero();
    return output;
  }

  private HttpTestServer serve(String response) throws Exception {
    HttpTestServer server =
        HttpTestServer.start(InetAddress.getLoopbackAddress(), respond(response));
    servers.add(server);
    return server;
  }
}
