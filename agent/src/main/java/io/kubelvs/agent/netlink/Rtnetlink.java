package io.kubelvs.agent.netlink;

/**
 * Constants of NETLINK_ROUTE, with the kernel's names: message types from {@code
 * include/uapi/linux/rtnetlink.h}, link attributes from {@code include/uapi/linux/if_link.h},
 * address attributes from {@code include/uapi/linux/if_addr.h}.
 */
public final class Rtnetlink {
  private Rtnetlink() {}

  // Message types (rtnetlink.h, enum { RTM_* }).
  public static final int RTM_NEWLINK = 16;
  public static final int RTM_DELLINK = 17;
  public static final int RTM_GETLINK = 18;
  public static final int RTM_SETLINK = 19;
  public static final int RTM_NEWADDR = 20;
  public static final int RTM_DELADDR = 21;
  public static final int RTM_GETADDR = 22;
  public static final int RTM_NEWROUTE = 24;
  public static final int RTM_DELROUTE = 25;
  public static final int RTM_GETROUTE = 26;

  // Link attributes (if_link.h, enum { IFLA_* }).
  public static final int IFLA_ADDRESS = 1;
  public static final int IFLA_BROADCAST = 2;
  public static final int IFLA_IFNAME = 3;
  public static final int IFLA_MTU = 4;
  public static final int IFLA_LINK = 5;
  public static final int IFLA_OPERSTATE = 16;

  // Address attributes (if_addr.h, enum { IFA_* }).
  public static final int IFA_ADDRESS = 1;
  public static final int IFA_LOCAL = 2;
  public static final int IFA_LABEL = 3;
  public static final int IFA_BROADCAST = 4;

  // ifa_flags (if_addr.h).
  public static final int IFA_F_NODAD = 0x02;
  public static final int IFA_F_PERMANENT = 0x80;

  // ifa_scope / rtm_scope (rtnetlink.h, enum rt_scope_t).
  public static final int RT_SCOPE_UNIVERSE = 0;
  public static final int RT_SCOPE_HOST = 254;
}
