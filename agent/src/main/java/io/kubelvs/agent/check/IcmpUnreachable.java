package io.kubelvs.agent.check;

import io.kubelvs.agent.sys.UdpIcmpError;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Map;

/**
 * An ICMP or ICMPv6 destination unreachable in an operator's words, for UDP_CHECK's reasons: the
 * code names of RFC 792 and RFC 4443.
 */
final class IcmpUnreachable {
  private IcmpUnreachable() {}

  /** Destination Unreachable codes of RFC 792 (with RFC 1122 §3.2.2.1 and RFC 1812 §5.2.7.1). */
  private static final Map<Integer, String> ICMP_UNREACHABLE =
      Map.ofEntries(
          Map.entry(0, "network unreachable"),
          Map.entry(1, "host unreachable"),
          Map.entry(2, "protocol unreachable"),
          Map.entry(3, "port unreachable"),
          Map.entry(4, "fragmentation needed"),
          Map.entry(5, "source route failed"),
          Map.entry(6, "destination network unknown"),
          Map.entry(7, "destination host unknown"),
          Map.entry(9, "network administratively prohibited"),
          Map.entry(10, "host administratively prohibited"),
          Map.entry(13, "communication administratively prohibited"));

  /** Destination Unreachable codes of RFC 4443 §3.1. */
  private static final Map<Integer, String> ICMPV6_UNREACHABLE =
      Map.of(
          0, "no route to destination",
          1, "communication administratively prohibited",
          2, "beyond scope of source address",
          3, "address unreachable",
          4, "port unreachable",
          5, "source address failed ingress/egress policy",
          6, "reject route to destination");

  /**
   * {@code ICMP port unreachable}, {@code ICMPv6 address unreachable from fe80::1}: the offender is
   * named when it is not the probed host itself (a router, or our own kernel after ARP failed).
   */
  static String describe(UdpIcmpError error, InetAddress probed) {
    boolean v6 = error.origin() == UdpIcmpError.ORIGIN_ICMP6;
    String words =
        (v6 ? ICMPV6_UNREACHABLE : ICMP_UNREACHABLE)
            .getOrDefault(error.code(), "destination unreachable (code " + error.code() + ")");
    String from =
        error
            .offender()
            .filter(offender -> !Arrays.equals(offender.getAddress(), probed.getAddress()))
            .map(offender -> " from " + offender.getHostAddress())
            .orElse("");
    return (v6 ? "ICMPv6 " : "ICMP ") + words + from;
  }
}
