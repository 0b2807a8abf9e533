package io.kubelvs.agent.netlink;

/**
 * A change the kernel announced for an interface (RTNLGRP_LINK), as a VRRP instance tracks it: up
 * (usable), down, or gone. The kernel announces several messages for one transition (flags, then
 * operstate, ...), so the same state can arrive more than once: treat each as "the link is now".
 *
 * @param link the interface as the kernel described it in the announcement
 */
public record LinkEvent(Type type, Link link) {
  public enum Type {
    /** Up and running ({@link Link#isUsable()}): administratively up and with carrier. */
    UP,
    /** Set down, or lost its carrier. */
    DOWN,
    /** Deleted (RTM_DELLINK), or moved to another namespace. */
    REMOVED
  }

  /** The event an RTM_NEWLINK or RTM_DELLINK message means. */
  public static LinkEvent of(NetlinkMessage message) {
    Link link = Link.decode(message);
    if (message.type() == Rtnetlink.RTM_DELLINK) {
      return new LinkEvent(Type.REMOVED, link);
    }
    return new LinkEvent(link.isUsable() ? Type.UP : Type.DOWN, link);
  }

  public int index() {
    return link.index();
  }

  public String name() {
    return link.name();
  }

  @Override
  public String toString() {
    return "LinkEvent[" + type + " " + link.name() + " ifindex " + link.index() + "]";
  }
}
