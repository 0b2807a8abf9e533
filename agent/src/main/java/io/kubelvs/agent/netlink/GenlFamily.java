package io.kubelvs.agent.netlink;

import java.util.ArrayList;
import java.util.List;

/**
 * A generic netlink family as the controller (nlctrl) describes it.
 *
 * @param name e.g. "IPVS"
 * @param id the nlmsg_type to address the family with; assigned by the kernel at registration
 * @param version the family's interface version (CTRL_ATTR_VERSION)
 * @param headerSize bytes of family header after genlmsghdr (CTRL_ATTR_HDRSIZE)
 * @param maxAttribute the highest top-level attribute type (CTRL_ATTR_MAXATTR)
 * @param multicastGroups the family's notification groups
 */
public record GenlFamily(
    String name,
    int id,
    int version,
    int headerSize,
    int maxAttribute,
    List<MulticastGroup> multicastGroups) {

  public GenlFamily {
    multicastGroups = List.copyOf(multicastGroups);
  }

  /** A group to subscribe to for the family's notifications. */
  public record MulticastGroup(String name, int id) {}

  /** Reads the controller's CTRL_CMD_NEWFAMILY reply. */
  public static GenlFamily decode(NetlinkMessage reply) {
    NetlinkAttributes attributes = reply.attributes(GenlHeader.LENGTH);
    return new GenlFamily(
        attributes.require(Genetlink.CTRL_ATTR_FAMILY_NAME, "CTRL_ATTR_FAMILY_NAME").string(),
        attributes.require(Genetlink.CTRL_ATTR_FAMILY_ID, "CTRL_ATTR_FAMILY_ID").u16(),
        attributes.first(Genetlink.CTRL_ATTR_VERSION).map(NetlinkAttribute::u32).orElse(0),
        attributes.first(Genetlink.CTRL_ATTR_HDRSIZE).map(NetlinkAttribute::u32).orElse(0),
        attributes.first(Genetlink.CTRL_ATTR_MAXATTR).map(NetlinkAttribute::u32).orElse(0),
        multicastGroups(attributes));
  }

  private static List<MulticastGroup> multicastGroups(NetlinkAttributes attributes) {
    List<MulticastGroup> groups = new ArrayList<>();
    attributes
        .first(Genetlink.CTRL_ATTR_MCAST_GROUPS)
        .ifPresent(
            array -> {
              // An array: one nested attribute per group, typed by its index.
              for (NetlinkAttribute entry : array.nested().all()) {
                NetlinkAttributes group = entry.nested();
                groups.add(
                    new MulticastGroup(
                        group
                            .require(Genetlink.CTRL_ATTR_MCAST_GRP_NAME, "CTRL_ATTR_MCAST_GRP_NAME")
                            .string(),
                        group
                            .require(Genetlink.CTRL_ATTR_MCAST_GRP_ID, "CTRL_ATTR_MCAST_GRP_ID")
                            .u32()));
              }
            });
    return groups;
  }
}
