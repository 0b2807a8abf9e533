package io.kubelvs.agent.check;

import static io.kubelvs.agent.check.HttpTestServer.respond;
import static io.kubelvs.agent.check.HttpTestServer.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SSL_GET against real TLS servers on loopback with a self-signed certificate made in the test. */
class SslProberTest {
  private static final Duration TIMEOUT = Duration.ofMillis(500);
  private static final String NAME = "checked.example";
  private static TlsTestCertificates certificates;

  private final CheckEventLoops loops = new CheckEventLoops();
  private final List<HttpTestServer> servers = new ArrayList<>();

  @BeforeAll
  static void makeCertificate() throws Exception {
    certificates = TlsTestCertificates.selfSigned(List.of(NAME));
  }

  @AfterEach
  void stop() throws Exception {
    for (HttpTestServer server : servers) {
      server.close();
    }
    loops.close();
  }

  @Test
  void verifyOffAcceptsTheSelfSignedCertificateAsKeepalivedDoes() throws Exception {
    HttpTestServer server = serveTls(respond(response(200, "ok")));

    assertThat(probe(systemTrust(), sslGet(Optional.empty(), false), server))
        .isEqualTo(ProbeResult.up("HTTP 200"));
  }

  @Test
  void serverSeesTheConfiguredSniName() throws Exception {
    HttpTestServer server = serveTls(respond(response(200, "ok")));

    probe(systemTrust(), sslGet(Optional.of(NAME), false), server);

    assertThat(server.nextSeen().serverNames()).containsExactly(NAME);
  }

  @Test
  void sniCarriesASingleLabelNameTooWhichTheJdkAloneWouldNotSend() throws Exception {
    HttpTestServer server = serveTls(respond(response(200, "ok")));

    probe(systemTrust(), sslGet(Optional.of("backend"), false), server);

    assertThat(server.nextSeen().serverNames()).containsExactly("backend");
  }

  @Test
  void sniFallsBackToTheVirtualHostWithoutItsPort() throws Exception {
    HttpTestServer server = serveTls(respond(response(200, "ok")));
    HttpGetCheck check =
        new HttpGetCheck(
            "/",
            List.of(),
            Optional.empty(),
            Optional.of("www.example.com:8443"),
            HttpVersion.HTTP_1_1,
            Optional.of(new HttpGetCheck.Tls(Optional.empty(), false)));

    assertThat(probe(systemTrust(), check, server).healthy()).isTrue();

    HttpTestServer.Seen seen = server.nextSeen();
    assertThat(seen.serverNames()).containsExactly("www.example.com");
    assertThat(seen.request()).contains("\r\nHost: www.example.com:8443\r\n");
  }

  @Test
  void noSniWithoutAName() throws Exception {
    HttpTestServer server = serveTls(respond(response(200, "ok")));

    probe(systemTrust(), sslGet(Optional.empty(), false), server);

    assertThat(server.nextSeen().serverNames()).isEmpty();
  }

  @Test
  void verifyOnRejectsAnUntrustedSelfSignedCertificate() throws Exception {
    HttpTestServer server = serveTls(respond(response(200, "ok")));

    ProbeResult result = probe(systemTrust(), sslGet(Optional.of(NAME), true), server);

    assertThat(result.healthy()).isFalse();
    assertThat(result.reason())
        .isEqualTo(
            "TLS handshake failed: unable to find valid certification path to requested target");
  }

  @Test
  void verifyOnAcceptsTheCertificateWhenTrustedAndNamed() throws Exception {
    HttpTestServer server = serveTls(respond(response(200, "ok")));

    assertThat(probe(trustingTheTestCertificate(), sslGet(Optional.of(NAME), true), server))
        .isEqualTo(ProbeResult.up("HTTP 200"));
  }

  @Test
  void verifyOnWithoutSniChecksTheAddressAgainstTheCertificatesIpNames() throws Exception {
    HttpTestServer server = serveTls(respond(response(200, "ok")));

    assertThat(probe(trustingTheTestCertificate(), sslGet(Optional.empty(), true), server))
        .isEqualTo(ProbeResult.up("HTTP 200"));
  }

  @Test
  void verifyOnRejectsATrustedCertificateForAnotherName() throws Exception {
    HttpTestServer server = serveTls(respond(response(200, "ok")));

    ProbeResult result =
        probe(trustingTheTestCertificate(), sslGet(Optional.of("other.example"), true), server);

    assertThat(result.healthy()).isFalse();
    assertThat(result.reason()).startsWith("TLS handshake failed: ").contains("other.example");
  }

  @Test
  void trustStoreCanBeAPemBundle(@TempDir Path directory) throws Exception {
    Path bundle = directory.resolve("ca.pem");
    Files.writeString(
        bundle,
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(certificates.certificate().getEncoded())
            + "\n-----END CERTIFICATE-----\n");
    HttpTestServer server = serveTls(respond(response(200, "ok")));

    assertThat(
            probe(TlsContexts.withTrustedPemFile(bundle), sslGet(Optional.of(NAME), true), server))
        .isEqualTo(ProbeResult.up("HTTP 200"));
  }

  @Test
  void serverThatNeverStartsTheHandshakeTimesOut() throws Exception {
    HttpTestServer[] self = new HttpTestServer[1];
    self[0] =
        track(
            HttpTestServer.start(
                InetAddress.getLoopbackAddress(),
                (socket, out) -> self[0].neverAnswer().act(socket, out)));

    assertThat(probe(systemTrust(), sslGet(Optional.empty(), false), self[0]))
        .isEqualTo(ProbeResult.down("TLS handshake timeout 500ms"));
  }

  @Test
  void plainHttpServerBehindSslGetIsNamed() throws Exception {
    HttpTestServer plain =
        track(
            HttpTestServer.startAnsweringAnything(
                InetAddress.getLoopbackAddress(), respond(response(400, "bad request"))));

    assertThat(probe(systemTrust(), sslGet(Optional.empty(), false), plain))
        .isEqualTo(ProbeResult.down("TLS handshake failed: the server did not answer with TLS"));
  }

  @Test
  void digestIsTakenOverTheDecryptedBody() throws Exception {
    HttpTestServer server = serveTls(respond(response(200, "hello")));
    HttpGetCheck check =
        new HttpGetCheck(
            "/",
            List.of(),
            Optional.of("5d41402abc4b2a76b9719d911017c592"),
            Optional.empty(),
            HttpVersion.HTTP_1_0,
            Optional.of(new HttpGetCheck.Tls(Optional.empty(), false)));

    assertThat(probe(systemTrust(), check, server)).isEqualTo(ProbeResult.up("HTTP 200"));
  }

  @Test
  void wrongStatusOverTls() throws Exception {
    HttpTestServer server = serveTls(respond(response(503, "busy")));

    assertThat(probe(systemTrust(), sslGet(Optional.empty(), false), server))
        .isEqualTo(ProbeResult.down("HTTP 503"));
  }

  @Test
  void resetWithinTheBodyOverTls() throws Exception {
    String partial = "HTTP/1.0 200 OK\r\nContent-Length: 100\r\n\r\npart";
    HttpTestServer server = serveTls(HttpTestServer.resetAfter(partial));

    assertThat(probe(systemTrust(), sslGet(Optional.empty(), false), server))
        .isEqualTo(ProbeResult.down("connection reset after " + partial.length() + " bytes"));
  }

  @Test
  void refusedConnectionIsNotATlsFailure() throws Exception {
    ProbeResult result =
        new HttpProber(loops, systemTrust(), sslGet(Optional.empty(), false))
            .probe(ProbeTarget.of(HttpProberTest.closedLoopbackPort(), TIMEOUT))
            .get(10, TimeUnit.SECONDS);

    assertThat(result).isEqualTo(ProbeResult.down("connection refused"));
  }

  @Test
  void aServerNameSniCannotCarryIsRejectedWhenTheProberIsMade() {
    assertThatThrownBy(
            () -> new HttpProber(loops, systemTrust(), sslGet(Optional.of("not a name!"), false)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a host name TLS SNI can carry");
  }

  // ---- helpers ----

  private HttpTestServer serveTls(HttpTestServer.Behavior behavior) throws Exception {
    return track(
        HttpTestServer.startTls(
            InetAddress.getLoopbackAddress(), certificates.serverContext(), behavior));
  }

  private HttpTestServer track(HttpTestServer server) {
    servers.add(server);
    return server;
  }

  private static TlsContexts systemTrust() {
    return TlsContexts.withSystemTrustStore();
  }

  private static TlsContexts trustingTheTestCertificate() {
    return TlsContexts.withTrustedCertificates(List.of(certificates.certificate()));
  }

  private static HttpGetCheck sslGet(Optional<String> serverName, boolean verify) {
    return new HttpGetCheck(
        "/",
        List.of(),
        Optional.empty(),
        Optional.empty(),
        HttpVersion.HTTP_1_0,
        Optional.of(new HttpGetCheck.Tls(serverName, verify)));
  }

  private ProbeResult probe(TlsContexts contexts, HttpGetCheck check, HttpTestServer server)
      throws Exception {
    return new HttpProber(loops, contexts, check)
        .probe(ProbeTarget.of(server.address(), TIMEOUT))
        .get(10, TimeUnit.SECONDS);
  }
}
