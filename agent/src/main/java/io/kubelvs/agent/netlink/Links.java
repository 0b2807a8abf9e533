package io.kubelvs.agent.netlink;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.List;
import java.util.Optional;

/**
 * Reads interfaces (RTM_GETLINK) and what VRRP needs to know about them: index and MAC by name,
 * whether they are up, their primary IPv4 and link-local IPv6 addresses. Changes are followed with
 * a {@link LinkMonitor}. Uses the NETLINK_ROUTE socket it is given, in that socket's namespace.
 */
public final class Links {
  private final NetlinkSocket socket;

  public Links(NetlinkSocket socket) {
    if (socket.protocol() != Netlink.NETLINK_ROUTE) {
      throw new IllegalArgumentException(
          "links are read over NETLINK_ROUTE, not protocol " + socket.protocol());
    }
    this.socket = socket;
  }

  /**
   * The interface called {@code name}.
   *
   * @throws NetlinkException ENODEV when there is none: {@code RTM_GETLINK v9: ENODEV (No such
   *     device)}
   */
  public Link byName(String name) {
    byte[] payload =
        new AttributeWriter()
            .header(IfInfoMessage.forIndex(0).encode())
            .string(Rtnetlink.IFLA_IFNAME, name)
            .toByteArray();
    return single(
        socket.request(
            NetlinkMessage.request(Rtnetlink.RTM_GETLINK, 0, payload), "RTM_GETLINK " + name));
  }

  /** The interface with index {@code index}; ENODEV when there is none. */
  public Link byIndex(int index) {
    NetlinkMessage query =
        NetlinkMessage.request(Rtnetlink.RTM_GETLINK, 0, IfInfoMessage.forIndex(index).encode());
    return single(socket.request(query, "RTM_GETLINK ifindex " + index));
  }

  /** Every interface in the namespace. */
  public List<Link> all() {
    NetlinkMessage query =
        NetlinkMessage.request(Rtnetlink.RTM_GETLINK, 0, IfInfoMessage.forIndex(0).encode());
    return socket.dump(query, "RTM_GETLINK dump").stream()
        .filter(m -> m.type() == Rtnetlink.RTM_NEWLINK)
        .map(Link::decode)
        .toList();
  }

  /**
   * The interface's primary IPv4 address: the first one the kernel lists that is not secondary,
   * which is the oldest; an address added later (a VIP) is listed after it. The kernel picks it as
   * the source of multicast sent out of the interface, and keepalived adverts from it.
   */
  public Optional<Inet4Address> primaryIpv4Address(Link link) {
    return new Addresses(socket)
        .list(link).stream()
            .filter(a -> a.isIpv4() && !a.isSecondary())
            .map(a -> (Inet4Address) a.address().address())
            .findFirst();
  }

  /**
   * The interface's link-local IPv6 address that has passed duplicate address detection: the source
   * of VRRPv3 adverts over IPv6 (RFC 5798 §5.1.2.1).
   */
  public Optional<Inet6Address> linkLocalIpv6Address(Link link) {
    return new Addresses(socket)
        .list(link).stream()
            .filter(a -> !a.isIpv4() && a.scope() == Rtnetlink.RT_SCOPE_LINK && !a.isTentative())
            .map(a -> (Inet6Address) a.address().address())
            .findFirst();
  }

  private static Link single(List<NetlinkMessage> replies) {
    return replies.stream()
        .filter(m -> m.type() == Rtnetlink.RTM_NEWLINK)
        .findFirst()
        .map(Link::decode)
        .orElseThrow(
            () -> new NetlinkFormatException("RTM_GETLINK was acknowledged without a link"));
  }
}
