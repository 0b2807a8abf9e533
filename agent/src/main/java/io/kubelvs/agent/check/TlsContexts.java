package io.kubelvs.agent.check;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The TLS client contexts of SSL_GET, built once per agent and shared by every check: one that
 * accepts any certificate (verify off, what keepalived always does: its SSL_GET never verifies the
 * server) and one that verifies the chain against a trust store AND the name (RFC 6125 via the
 * JDK's "HTTPS" endpoint identification) against the SNI name, or the IP address when there is
 * none. Building a context per probe would redo the trust store and lose the session cache, which
 * resumes TLS sessions to the same server and so saves a full handshake per check.
 *
 * <p>The trust store for verify on is given by the agent's operator: the JVM's default ({@link
 * #withSystemTrustStore()}: cacerts, or the javax.net.ssl.trustStore system property), a PEM bundle
 * of CA certificates ({@link #withTrustedPemFile}), or certificates already loaded ({@link
 * #withTrustedCertificates}).
 */
public final class TlsContexts {
  private final SslContextBuilder verifyingBuilder;
  private final String trustSource;
  // Built at the first SSL_GET, not at start: a director without one never pays for JSSE's setup
  // (hundreds of classes, the trust store read: ~0.2 s here, most of a start under emulation).
  private SslContext acceptingAnyCertificate;
  private SslContext verifying;

  private TlsContexts(SslContextBuilder verifyingBuilder, String trustSource) {
    this.verifyingBuilder = verifyingBuilder;
    this.trustSource = trustSource;
  }

  /** Verify on trusts the JVM's default trust store; read at the first SSL_GET that verifies. */
  public static TlsContexts withSystemTrustStore() {
    return new TlsContexts(SslContextBuilder.forClient(), "the JVM's default trust store");
  }

  /** Verify on trusts the CA certificates of a PEM bundle such as /etc/ssl/certs/ca.pem. */
  public static TlsContexts withTrustedPemFile(Path pemBundle) {
    TlsContexts contexts =
        new TlsContexts(
            SslContextBuilder.forClient().trustManager(pemBundle.toFile()), pemBundle.toString());
    contexts.verifying(); // a bundle the operator named is read now: a bad one fails the start
    return contexts;
  }

  /** Verify on trusts exactly these certificates (CAs or the servers' own). */
  public static TlsContexts withTrustedCertificates(List<X509Certificate> trusted) {
    if (trusted.isEmpty()) {
      throw new IllegalArgumentException("an SSL_GET trust store needs at least one certificate");
    }
    TlsContexts contexts =
        new TlsContexts(
            SslContextBuilder.forClient().trustManager(trusted),
            trusted.size() + " given certificate(s)");
    contexts.verifying();
    return contexts;
  }

  private synchronized SslContext verifying() {
    if (verifying == null) {
      verifying =
          build(
              verifyingBuilder
                  .sslProvider(SslProvider.JDK)
                  .endpointIdentificationAlgorithm("HTTPS"));
    }
    return verifying;
  }

  private synchronized SslContext acceptingAnyCertificate() {
    if (acceptingAnyCertificate == null) {
      acceptingAnyCertificate =
          build(
              SslContextBuilder.forClient()
                  .sslProvider(SslProvider.JDK)
                  .trustManager(InsecureTrustManagerFactory.INSTANCE)
                  .endpointIdentificationAlgorithm(null));
    }
    return acceptingAnyCertificate;
  }

  private SslContext build(SslContextBuilder builder) {
    try {
      return builder.build();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot build SSL_GET TLS contexts trusting " + trustSource, e);
    }
  }

  /**
   * A handler for one connection to {@code target}: SNI {@code serverName} if given (RFC 6066 has
   * no SNI for IP literals), verification per {@code verify}, and {@code handshakeTimeout}.
   */
  SslHandler newHandler(
      ByteBufAllocator allocator,
      InetSocketAddress target,
      Optional<SNIHostName> serverName,
      boolean verify,
      Duration handshakeTimeout) {
    SslContext context = verify ? verifying() : acceptingAnyCertificate();
    // The peer host names the session for resumption and is the name verification checks.
    String peerHost =
        serverName
            .map(SNIHostName::getAsciiName)
            .orElse(NetUtil.toAddressString(target.getAddress()));
    SslHandler handler = context.newHandler(allocator, peerHost, target.getPort());
    if (serverName.isPresent()) {
      // The JDK sends SNI by itself only for names with a dot; keepalived sends what it is given.
      SSLEngine engine = handler.engine();
      SSLParameters parameters = engine.getSSLParameters();
      parameters.setServerNames(List.of(serverName.get()));
      engine.setSSLParameters(parameters);
    }
    handler.setHandshakeTimeoutMillis(Math.max(1, handshakeTimeout.toMillis()));
    return handler;
  }

  /**
   * The SNI name of a check: its TLS server name, which must be a valid host name, else the host
   * part of its virtual host (without a ":port"), unless that is an IP literal or otherwise no host
   * name; then the handshake carries no SNI. Checked once, when the prober is made.
   */
  static Optional<SNIHostName> serverNameOf(HttpGetCheck check) {
    Optional<String> explicit = check.tls().flatMap(HttpGetCheck.Tls::serverName);
    if (explicit.isPresent()) {
      try {
        return Optional.of(new SNIHostName(explicit.get()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "SSL_GET server name \"" + explicit.get() + "\" is not a host name TLS SNI can carry",
            e);
      }
    }
    return check.virtualHost().flatMap(TlsContexts::hostNameOfVirtualHost);
  }

  private static Optional<SNIHostName> hostNameOfVirtualHost(String virtualHost) {
    String host = virtualHost;
    int colon = host.lastIndexOf(':');
    if (colon > 0 && host.indexOf(':') == colon) {
      host = host.substring(0, colon);
    }
    if (host.startsWith("[")
        || NetUtil.isValidIpV4Address(host)
        || NetUtil.isValidIpV6Address(host)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new SNIHostName(host));
    } catch (IllegalArgumentException notAHostName) {
      return Optional.empty();
    }
  }
}
