package io.kubelvs.agent.check;

import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The request HTTP_GET and SSL_GET send, byte for byte keepalived's (request_template in
 * keepalived/check/check_http.c, confirmed against genhash 2.2.7 on the wire):
 *
 * <pre>
 * GET {path} HTTP/1.0\r\n
 * User-Agent: KeepAliveClient\r\n
 * Connection: close\r\n              (HTTP/1.1 only)
 * Host: {virtualhost | ip:port | [ipv6]:port}\r\n
 * \r\n
 * </pre>
 *
 * <p>The Host header is the virtual host alone when one is configured, else the target's address
 * and port (an IPv6 literal in brackets, RFC 2732). keepalived's "1.0C" (HTTP/1.0 with Connection:
 * close) has no {@link HttpVersion} of its own.
 */
final class HttpGetRequest {
  static final String USER_AGENT = "KeepAliveClient";

  private HttpGetRequest() {}

  static byte[] encode(HttpGetCheck check, InetSocketAddress target) {
    StringBuilder request = new StringBuilder(128);
    request
        .append("GET ")
        .append(check.path())
        .append(' ')
        .append(check.httpVersion().requestLineText())
        .append("\r\n");
    request.append("User-Agent: ").append(USER_AGENT).append("\r\n");
    if (check.httpVersion() == HttpVersion.HTTP_1_1) {
      request.append("Connection: close\r\n");
    }
    request.append("Host: ").append(hostHeader(check, target)).append("\r\n\r\n");
    return request.toString().getBytes(StandardCharsets.UTF_8);
  }

  static String hostHeader(HttpGetCheck check, InetSocketAddress target) {
    if (check.virtualHost().isPresent()) {
      return check.virtualHost().get();
    }
    String address = NetUtil.toAddressString(target.getAddress());
    if (target.getAddress() instanceof Inet6Address) {
      address = "[" + address + "]";
    }
    return address + ":" + target.getPort();
  }

  /**
   * Rejects a path or virtual host that would break the request line or smuggle a header: they are
   * written verbatim, as keepalived writes them, so they must hold no spaces or control characters.
   */
  static void validate(HttpGetCheck check) {
    requireToken("path", check.path());
    check.virtualHost().ifPresent(host -> requireToken("virtualhost", host));
  }

  private static void requireToken(String what, String value) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException("HTTP_GET " + what + " must not be empty");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        throw new IllegalArgumentException(
            "HTTP_GET "
                + what
                + " \""
                + value.strip()
                + "\" holds a space or control character at offset "
                + i
                + "; it is sent verbatim in the request");
      }
    }
  }
}
