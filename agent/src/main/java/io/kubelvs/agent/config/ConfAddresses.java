package io.kubelvs.agent.config;

import io.kubelvs.agent.netlink.CidrAddress;
import java.net.InetAddress;
import java.util.Arrays;

/** IP address values of keepalived.conf, literals only: no name is ever looked up. */
final class ConfAddresses {
  private ConfAddresses() {}

  /** {@code text}, an IPv4 or IPv6 literal, as an address; a problem at {@code node} if not one. */
  static InetAddress address(ConfNode node, String text) throws KeepalivedConfException {
    return cidr(node, text, false).address();
  }

  /** {@code 198.18.0.50} or {@code 198.18.0.50/24}: without a prefix, the whole address. */
  static CidrAddress cidr(ConfNode node, String text) throws KeepalivedConfException {
    return cidr(node, text, true);
  }

  private static CidrAddress cidr(ConfNode node, String text, boolean prefixAllowed)
      throws KeepalivedConfException {
    int slash = text.indexOf('/');
    String literal = slash < 0 ? text : text.substring(0, slash);
    // An IPv4 literal out of range would otherwise be looked up as a host name.
    boolean ipv4InRange =
        literal.matches("\\d{1,3}(\\.\\d{1,3}){3}")
            && Arrays.stream(literal.split("\\."))
                .allMatch(octet -> Integer.parseInt(octet) <= 255);
    boolean ipv6 = literal.contains(":");
    if ((ipv4InRange || ipv6) && (prefixAllowed || slash < 0)) {
      try {
        return CidrAddress.parse(text);
      } catch (IllegalArgumentException e) {
        // named below
      }
    }
    throw node.error(
        node.keyword()
            + ": '"
            + text
            + "' is not an IP address"
            + (prefixAllowed ? " (with an optional /prefix)" : ""));
  }
}
