package io.kubelvs.agent.netlink;

/**
 * Constants of NETLINK_ROUTE, with the kernel's names: message types from {@code
 * include/uapi/linux/rtnetlink.h}, link attributes from {@code include/uapi/linux/if_link.h},
 * address attributes from {@code include/uapi/linux/if_addr.h}, interface flags from {@code
 * include/uapi/linux/if.h}.
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
  public static final int IFA_FLAGS = 8;

  // ifa_flags (if_addr.h); IFA_FLAGS carries them all as a u32, the header only the low 8 bits.
  public static final int IFA_F_SECONDARY = 0x01;
  public static final int IFA_F_NODAD = 0x02;
  public static final int IFA_F_DADFAILED = 0x08;
  public static final int IFA_F_TENTATIVE = 0x40;
  public static final int IFA_F_PERMANENT = 0x80;

  // ifi_flags (if.h, enum net_device_flags).
  public static final int IFF_UP = 0x1;
  public static final int IFF_BROADCAST = 0x2;
  public static final int IFF_LOOPBACK = 0x8;
  public static final int IFF_RUNNING = 0x40;
  public static final int IFF_MULTICAST = 0x1000;
  public static final int IFF_LOWER_UP = 0x10000;

  // Multicast groups of NETLINK_ROUTE (rtnetlink.h, enum rtnetlink_groups).
  public static final int RTNLGRP_LINK = 1;

  // ifa_scope / rtm_scope (rtnetlink.h, enum rt_scope_t).
  public static final int RT_SCOPE_UNIVERSE = 0;
  public static final int RT_SCOPE_LINK = 253;
  public static final int RT_SCOPE_HOST = 254;
}
