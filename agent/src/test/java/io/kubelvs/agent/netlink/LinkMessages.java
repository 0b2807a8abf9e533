package io.kubelvs.agent.netlink;

/** RTM_GETLINK requests and reply reading, shared by the real-kernel tests. */
final class LinkMessages {
  private LinkMessages() {}

  static NetlinkMessage getLink(int index) {
    return NetlinkMessage.request(Rtnetlink.RTM_GETLINK, 0, IfInfoMessage.forIndex(index).encode());
  }

  static NetlinkMessage dumpLinks() {
    return NetlinkMessage.request(Rtnetlink.RTM_GETLINK, 0, IfInfoMessage.forIndex(0).encode());
  }

  static String name(NetlinkMessage link) {
    return link.attributes(IfInfoMessage.LENGTH)
        .require(Rtnetlink.IFLA_IFNAME, "IFLA_IFNAME")
        .string();
  }

  static int index(NetlinkMessage link) {
    return IfInfoMessage.decode(link).index();
  }
}
