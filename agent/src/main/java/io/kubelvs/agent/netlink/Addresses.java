package io.kubelvs.agent.netlink;

import java.util.List;

/**
 * Adds, removes and lists the addresses of an interface (RTM_NEWADDR, RTM_DELADDR, RTM_GETADDR), so
 * VRRP can add exactly the VIPs it owns and remove exactly those. Nothing here touches an address
 * it was not asked about. Errors name the operation, address and interface: {@code RTM_NEWADDR
 * 198.18.0.50/32 on v0: EEXIST (File exists)}.
 */
public final class Addresses {
  private final NetlinkSocket socket;

  public Addresses(NetlinkSocket socket) {
    if (socket.protocol() != Netlink.NETLINK_ROUTE) {
      throw new IllegalArgumentException(
          "addresses are managed over NETLINK_ROUTE, not protocol " + socket.protocol());
    }
    this.socket = socket;
  }

  /**
   * Adds {@code address} to {@code link}, failing if it is already there (NLM_F_CREATE |
   * NLM_F_EXCL, like {@code ip address add}), so a caller can tell the addresses it added from
   * those it found. IPv6 addresses skip duplicate address detection (IFA_F_NODAD, as keepalived
   * adds VIPs): a VIP must answer at once, and a backup holding it is what VRRP resolves.
   *
   * @throws NetlinkException EEXIST when the interface already has the address
   */
  public void add(Link link, CidrAddress address) {
    int flags = address.isIpv4() ? 0 : Rtnetlink.IFA_F_NODAD;
    AttributeWriter payload = payload(link, address, flags);
    if (!address.isIpv4()) {
      payload.u32(Rtnetlink.IFA_FLAGS, flags);
    }
    socket.request(
        NetlinkMessage.request(
            Rtnetlink.RTM_NEWADDR,
            Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL,
            payload.toByteArray()),
        describe("RTM_NEWADDR", link, address));
  }

  /**
   * Removes {@code address} (address and prefix length must match) from {@code link}. Removing a
   * primary IPv4 address also removes the secondaries in its subnet unless the interface promotes
   * them (net.ipv4.conf.*.promote_secondaries); a VIP of /32 never has any.
   *
   * @throws NetlinkException EADDRNOTAVAIL when the interface does not have it
   */
  public void remove(Link link, CidrAddress address) {
    socket.request(
        NetlinkMessage.request(Rtnetlink.RTM_DELADDR, 0, payload(link, address, 0).toByteArray()),
        describe("RTM_DELADDR", link, address));
  }

  /** The IPv4 and IPv6 addresses of {@code link}, in the order the kernel keeps them. */
  public List<ObservedAddress> list(Link link) {
    // Without NETLINK_GET_STRICT_CHK the kernel ignores ifa_index in a dump: filter here.
    byte[] query = new IfAddrMessage(LibC.AF_UNSPEC, 0, 0, 0, link.index()).encode();
    return socket
        .dump(
            NetlinkMessage.request(Rtnetlink.RTM_GETADDR, 0, query),
            "RTM_GETADDR dump for " + link.name())
        .stream()
        .filter(m -> m.type() == Rtnetlink.RTM_NEWADDR)
        .map(ObservedAddress::decode)
        .filter(a -> a.interfaceIndex() == link.index())
        .toList();
  }

  private static AttributeWriter payload(Link link, CidrAddress address, int flags) {
    IfAddrMessage header =
        new IfAddrMessage(
            address.family(),
            address.prefixLength(),
            flags,
            Rtnetlink.RT_SCOPE_UNIVERSE,
            link.index());
    AttributeWriter payload = new AttributeWriter().header(header.encode());
    if (address.isIpv4()) {
      payload.address(Rtnetlink.IFA_LOCAL, address.address());
    }
    return payload.address(Rtnetlink.IFA_ADDRESS, address.address());
  }

  private static String describe(String operation, Link link, CidrAddress address) {
    return operation + " " + address + " on " + link.name();
  }
}
