package io.kubelvs.agent.netlink;

import java.util.Optional;

/**
 * A network interface as the kernel reported it in an RTM_NEWLINK message: a snapshot, so read it
 * again (or follow {@link LinkMonitor}) to see changes.
 *
 * @param index ifi_index, the interface index sockets and addresses refer to
 * @param name IFLA_IFNAME
 * @param flags ifi_flags, Rtnetlink.IFF_*
 * @param mtu IFLA_MTU, or 0 when absent
 * @param macAddress IFLA_ADDRESS when it is a 6-byte Ethernet address (not, e.g., on a tunnel)
 */
public record Link(int index, String name, int flags, int mtu, Optional<MacAddress> macAddress) {

  /** Decodes an RTM_NEWLINK (or RTM_DELLINK) message. */
  public static Link decode(NetlinkMessage message) {
    IfInfoMessage header = IfInfoMessage.decode(message);
    NetlinkAttributes attributes = message.attributes(IfInfoMessage.LENGTH);
    String name = attributes.require(Rtnetlink.IFLA_IFNAME, "IFLA_IFNAME").string();
    int mtu = attributes.first(Rtnetlink.IFLA_MTU).map(NetlinkAttribute::u32).orElse(0);
    Optional<MacAddress> mac =
        attributes
            .first(Rtnetlink.IFLA_ADDRESS)
            .filter(a -> a.length() == MacAddress.LENGTH)
            .map(a -> MacAddress.of(a.value()));
    return new Link(header.index(), name, header.flags(), mtu, mac);
  }

  /** Administratively up (IFF_UP): {@code ip link set NAME up}. */
  public boolean isUp() {
    return (flags & Rtnetlink.IFF_UP) != 0;
  }

  /** Operationally up (IFF_RUNNING): the driver reports carrier and the link is usable. */
  public boolean isRunning() {
    return (flags & Rtnetlink.IFF_RUNNING) != 0;
  }

  /** The carrier as the driver sees it (IFF_LOWER_UP), also while the link is set down. */
  public boolean isLowerUp() {
    return (flags & Rtnetlink.IFF_LOWER_UP) != 0;
  }

  /**
   * Up and running: what keepalived's IF_ISUP tests, and what a VRRP instance needs to leave FAULT.
   */
  public boolean isUsable() {
    return isUp() && isRunning();
  }

  @Override
  public String toString() {
    return "Link[%d %s flags=0x%x mtu=%d mac=%s]"
        .formatted(index, name, flags, mtu, macAddress.map(MacAddress::toString).orElse("none"));
  }
}
