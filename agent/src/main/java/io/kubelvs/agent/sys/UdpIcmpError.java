package io.kubelvs.agent.sys;

import java.net.InetAddress;
import java.util.Optional;

/**
 * An error the kernel queued on a UDP socket with IP_RECVERR / IPV6_RECVERR set, read from its
 * error queue: {@code struct sock_extended_err} (linux/errqueue.h) and the offender's address.
 *
 * @param errno the errno the error stands for, e.g. ECONNREFUSED for a port unreachable
 * @param origin who reported it: {@link #ORIGIN_LOCAL}, {@link #ORIGIN_ICMP} or {@link
 *     #ORIGIN_ICMP6}
 * @param type the ICMP or ICMPv6 type, for errors that came as ICMP
 * @param code the ICMP or ICMPv6 code
 * @param offender the host that sent the ICMP error (SO_EE_OFFENDER), when the kernel named one
 */
public record UdpIcmpError(
    int errno, int origin, int type, int code, Optional<InetAddress> offender) {

  // SO_EE_ORIGIN_* of linux/errqueue.h.
  public static final int ORIGIN_LOCAL = 1;
  public static final int ORIGIN_ICMP = 2;
  public static final int ORIGIN_ICMP6 = 3;

  /** RFC 792: Destination Unreachable. */
  public static final int ICMP_DEST_UNREACH = 3;

  /** RFC 4443 §3.1: Destination Unreachable. */
  public static final int ICMPV6_DEST_UNREACH = 1;

  public UdpIcmpError {
    offender = Optional.ofNullable(offender).flatMap(o -> o);
  }

  /**
   * An ICMP or ICMPv6 destination unreachable, of any code: what keepalived's UDP_CHECK counts as a
   * failure (layer4.c, udp_socket_error).
   */
  public boolean isDestinationUnreachable() {
    return (origin == ORIGIN_ICMP && type == ICMP_DEST_UNREACH)
        || (origin == ORIGIN_ICMP6 && type == ICMPV6_DEST_UNREACH);
  }
}
