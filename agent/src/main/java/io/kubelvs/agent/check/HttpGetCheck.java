package io.kubelvs.agent.check;

import java.util.List;
import java.util.Optional;

/**
 * keepalived's HTTP_GET, and SSL_GET when {@link #tls()} is present: one GET of {@link #path()},
 * healthy when the status is in one of {@link #statusCodes()} and, if a digest is given, the MD5 of
 * the body (as keepalived's genhash prints it, lower-case hex) matches.
 */
public record HttpGetCheck(
    String path,
    List<StatusCodeRange> statusCodes,
    Optional<String> digest,
    Optional<String> virtualHost,
    HttpVersion httpVersion,
    Optional<Tls> tls)
    implements CheckMethod {

  /** TLS settings of SSL_GET. keepalived never verifies the server's certificate. */
  public record Tls(Optional<String> serverName, boolean verify) {
    public Tls {
      serverName = Optional.ofNullable(serverName).flatMap(n -> n);
    }
  }

  public HttpGetCheck {
    statusCodes =
        statusCodes.isEmpty() ? List.of(StatusCodeRange.SUCCESS) : List.copyOf(statusCodes);
    digest = Optional.ofNullable(digest).flatMap(d -> d);
    virtualHost = Optional.ofNullable(virtualHost).flatMap(v -> v);
    tls = Optional.ofNullable(tls).flatMap(t -> t);
  }

  /** A plain HTTP GET of {@code path} expecting 200-299, HTTP/1.0, no digest, no Host override. */
  public static HttpGetCheck of(String path) {
    return new HttpGetCheck(
        path,
        List.of(),
        Optional.empty(),
        Optional.empty(),
        HttpVersion.HTTP_1_0,
        Optional.empty());
  }

  /** The name TLS should announce by SNI: tls.serverName, else the virtual host. */
  public Optional<String> sniName() {
    return tls.flatMap(Tls::serverName).or(() -> virtualHost);
  }

  public boolean acceptsStatus(int status) {
    return statusCodes.stream().anyMatch(range -> range.contains(status));
  }

  @Override
  public String keepalivedName() {
    return tls.isPresent() ? "SSL_GET" : "HTTP_GET";
  }
}
