package io.kubelvs.agent.check;

import java.util.List;
import java.util.regex.Pattern;

/** The rules of each check method's own fields, for {@link CheckConfigValidator}. */
final class CheckMethodValidator {

  /** An MD5 as keepalived's genhash prints it. */
  private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{32}");

  /** Letters, digits, '-' and '_' (as in _service labels), not starting or ending with '-'. */
  private static final Pattern DNS_LABEL =
      Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");

  /** RFC 1035 section 2.3.4: names are at most 255 octets on the wire, 253 as text. */
  private static final int DNS_NAME_MAX_TEXT = 253;

  /** The largest UDP payload over IPv4: 65535 - 20 (IP header) - 8 (UDP header). */
  private static final int UDP_PAYLOAD_MAX = 65_507;

  private final String path;
  private final List<CheckConfigProblem> problems;

  private CheckMethodValidator(String path, List<CheckConfigProblem> problems) {
    this.path = path;
    this.problems = problems;
  }

  /** Adds the problems of {@code method}, found at {@code path}, to {@code problems}. */
  static void validate(String path, CheckMethod method, List<CheckConfigProblem> problems) {
    CheckMethodValidator validator = new CheckMethodValidator(path, problems);
    if (method instanceof HttpGetCheck http) {
      validator.http(http);
    } else if (method instanceof UdpCheck udp) {
      validator.udp(udp);
    } else if (method instanceof MiscCheck misc) {
      validator.misc(misc);
    } else if (method instanceof DnsCheck dns) {
      validator.dns(dns);
    }
  }

  private void http(HttpGetCheck http) {
    if (http.path() == null || !http.path().startsWith("/")) {
      problem("path", "must start with '/', got " + quoted(http.path()));
    } else if (hasSpaceOrControl(http.path())) {
      problem("path", "must not contain spaces or control characters, got " + quoted(http.path()));
    }
    http.digest()
        .filter(digest -> !DIGEST.matcher(digest).matches())
        .ifPresent(
            digest ->
                problem(
                    "digest",
                    "must be 32 lower-case hex digits (genhash's MD5), got " + quoted(digest)));
    http.virtualHost()
        .filter(host -> host.isBlank() || hasSpaceOrControl(host))
        .ifPresent(host -> problem("virtualHost", "must be a host name, got " + quoted(host)));
    if (http.httpVersion() == null) {
      problem("httpVersion", "missing");
    }
    http.tls()
        .flatMap(HttpGetCheck.Tls::serverName)
        .filter(name -> !isDnsName(name))
        .ifPresent(name -> problem("tls.serverName", "must be a DNS name, got " + quoted(name)));
  }

  private void udp(UdpCheck udp) {
    if (udp.payload().length > UDP_PAYLOAD_MAX) {
      problem(
          "payload", "must be at most " + UDP_PAYLOAD_MAX + " bytes, got " + udp.payload().length);
    }
    if (udp.minReplyLength() < 0) {
      problem("minReplyLength", "must not be negative, got " + udp.minReplyLength());
    }
    if (udp.maxReplyLength() < udp.minReplyLength()) {
      problem(
          "maxReplyLength",
          "must be at least minReplyLength "
              + udp.minReplyLength()
              + ", got "
              + udp.maxReplyLength());
    } else if (udp.maxReplyLength() > UDP_PAYLOAD_MAX) {
      problem(
          "maxReplyLength", "must be at most " + UDP_PAYLOAD_MAX + ", got " + udp.maxReplyLength());
    }
  }

  private void misc(MiscCheck misc) {
    if (misc.command() == null || misc.command().isBlank()) {
      problem("command", "must not be empty");
    }
    if (misc.timeout() == null) {
      problem("timeout", "missing");
    } else if (misc.timeout().isNegative() || misc.timeout().isZero()) {
      problem("timeout", "must be positive, got " + misc.timeout());
    }
  }

  private void dns(DnsCheck dns) {
    if (dns.type() == null) {
      problem("type", "missing");
    }
    if (dns.name() == null || !isDnsName(dns.name())) {
      problem(
          "name", "must be a DNS name such as \".\" or \"example.com\", got " + quoted(dns.name()));
    }
  }

  /** "." (the root) or dot-separated labels, with an optional final dot. */
  static boolean isDnsName(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    if (name.equals(".")) {
      return true;
    }
    String text = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    if (text.isEmpty() || text.length() > DNS_NAME_MAX_TEXT) {
      return false;
    }
    for (String label : text.split("\\.", -1)) {
      if (!DNS_LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasSpaceOrControl(String text) {
    return text.chars().anyMatch(c -> c <= ' ' || c == 0x7f);
  }

  private static String quoted(String value) {
    return value == null ? "nothing" : "\"" + value + "\"";
  }

  private void problem(String field, String message) {
    problems.add(new CheckConfigProblem(path + "." + field, message));
  }
}
