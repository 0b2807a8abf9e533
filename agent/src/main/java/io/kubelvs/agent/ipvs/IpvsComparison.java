package io.kubelvs.agent.ipvs;

/**
 * When a desired service or destination counts as already programmed. The kernel reports more than
 * it was given, and every difference found here costs a netlink request, so these rules decide
 * between "edit" and "leave alone":
 *
 * <ul>
 *   <li>Service flags: only {@link ServiceFlags#USER_FLAGS} (one-packet, sched1-3) are compared.
 *       HASHED is set by the kernel on every service in its table and PERSISTENT follows the
 *       timeout.
 *   <li>Persistence: a service persists when its PERSISTENT bit is set, or, when the report carries
 *       no kernel bits (no HASHED), when its timeout is above 0 — the model's own rule. Two
 *       persistent services must agree on timeout and netmask; two non-persistent ones are equal
 *       whatever timeout or netmask the kernel kept, since neither has any effect without the bit.
 *   <li>Forwarding: old kernels report a real server that is a local address as LOCAL
 *       (IP_VS_CONN_F_LOCALNODE) whatever method it was added with. A desired NAT or DR loopback
 *       destination observed as LOCAL is therefore equal; any other LOCAL is a difference.
 *   <li>Tunnel type, port and flags are compared only for TUN: other methods never use them.
 * </ul>
 */
public final class IpvsComparison {
  private IpvsComparison() {}

  /** True when {@code observed} needs no IPVS_CMD_SET_SERVICE to become {@code desired}. */
  public static boolean sameSettings(IpvsService desired, IpvsService observed) {
    if (!desired.scheduler().equals(observed.scheduler())
        || (desired.flags() & ServiceFlags.USER_FLAGS)
            != (observed.flags() & ServiceFlags.USER_FLAGS)
        || persists(desired) != persists(observed)) {
      return false;
    }
    return !persists(desired)
        || (desired.persistenceTimeoutSeconds() == observed.persistenceTimeoutSeconds()
            && desired.netmask() == observed.netmask());
  }

  /** True when {@code observed} needs no IPVS_CMD_SET_DEST to become {@code desired}. */
  public static boolean sameDestination(Destination desired, Destination observed) {
    return sameForwarding(desired, observed.forwarding())
        && desired.weight() == observed.weight()
        && desired.upperThreshold() == observed.upperThreshold()
        && desired.lowerThreshold() == observed.lowerThreshold()
        && (desired.forwarding() != Forwarding.TUN || sameTunnel(desired, observed));
  }

  /** Whether the kernel applies persistence to this service: see the class comment. */
  public static boolean persists(IpvsService service) {
    int flags = service.flags();
    if ((flags & ServiceFlags.PERSISTENT) != 0) {
      return true;
    }
    return (flags & ServiceFlags.HASHED) == 0 && service.persistent();
  }

  private static boolean sameForwarding(Destination desired, Forwarding observed) {
    if (desired.forwarding() == observed) {
      return true;
    }
    return observed == Forwarding.LOCAL
        && (desired.forwarding() == Forwarding.NAT || desired.forwarding() == Forwarding.DR)
        && desired.address().isLoopbackAddress();
  }

  private static boolean sameTunnel(Destination desired, Destination observed) {
    return desired.tunnelType() == observed.tunnelType()
        && desired.tunnelPort() == observed.tunnelPort()
        && desired.tunnelFlags() == observed.tunnelFlags();
  }
}
