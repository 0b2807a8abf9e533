package io.kubelvs.agent.netlink;

import java.util.Optional;

/**
 * An address the kernel has on an interface, from an RTM_NEWADDR message.
 *
 * @param interfaceIndex ifa_index
 * @param address IFA_LOCAL (IPv4; IFA_ADDRESS is the peer on point-to-point links) or IFA_ADDRESS
 *     (IPv6), with ifa_prefixlen
 * @param flags all of ifa_flags (IFA_FLAGS when present, else the header's 8 bits),
 *     Rtnetlink.IFA_F_*
 * @param scope ifa_scope, Rtnetlink.RT_SCOPE_*
 * @param label IFA_LABEL (IPv4 only, e.g. {@code v0:vip})
 */
public record ObservedAddress(
    int interfaceIndex, CidrAddress address, int flags, int scope, Optional<String> label) {

  /** Decodes an RTM_NEWADDR message. */
  public static ObservedAddress decode(NetlinkMessage message) {
    IfAddrMessage header = IfAddrMessage.decode(message);
    NetlinkAttributes attributes = message.attributes(IfAddrMessage.LENGTH);
    NetlinkAttribute address =
        attributes
            .first(Rtnetlink.IFA_LOCAL)
            .orElseGet(() -> attributes.require(Rtnetlink.IFA_ADDRESS, "IFA_ADDRESS"));
    int flags =
        attributes.first(Rtnetlink.IFA_FLAGS).map(NetlinkAttribute::u32).orElse(header.flags());
    return new ObservedAddress(
        header.index(),
        new CidrAddress(address.address(), header.prefixLength()),
        flags,
        header.scope(),
        attributes.first(Rtnetlink.IFA_LABEL).map(NetlinkAttribute::string));
  }

  /**
   * A secondary address: in the subnet of another address with the same prefix, it goes when that
   * primary goes (unless promote_secondaries is set).
   */
  public boolean isSecondary() {
    return (flags & Rtnetlink.IFA_F_SECONDARY) != 0;
  }

  /** IPv6 duplicate address detection has not finished: the address cannot be used yet. */
  public boolean isTentative() {
    return (flags & Rtnetlink.IFA_F_TENTATIVE) != 0;
  }

  public boolean isIpv4() {
    return address.isIpv4();
  }

  @Override
  public String toString() {
    return address + " on ifindex " + interfaceIndex + (isSecondary() ? " secondary" : "");
  }
}
