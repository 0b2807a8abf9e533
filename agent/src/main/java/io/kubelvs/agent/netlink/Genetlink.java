package io.kubelvs.agent.netlink;

/**
 * Constants of generic netlink and its controller family "nlctrl", with the names they have in the
 * kernel's {@code include/uapi/linux/genetlink.h}.
 */
public final class Genetlink {
  private Genetlink() {}

  /** The controller family has a fixed id; every other family is looked up through it. */
  public static final int GENL_ID_CTRL = Netlink.NLMSG_MIN_TYPE;

  public static final String GENL_CTRL_NAME = "nlctrl";

  // enum { CTRL_CMD_* }
  public static final int CTRL_CMD_NEWFAMILY = 1;
  public static final int CTRL_CMD_DELFAMILY = 2;
  public static final int CTRL_CMD_GETFAMILY = 3;

  /** The controller family's version as registered by the kernel (net/netlink/genetlink.c). */
  public static final int CTRL_VERSION = 2;

  // enum { CTRL_ATTR_* }
  public static final int CTRL_ATTR_FAMILY_ID = 1;
  public static final int CTRL_ATTR_FAMILY_NAME = 2;
  public static final int CTRL_ATTR_VERSION = 3;
  public static final int CTRL_ATTR_HDRSIZE = 4;
  public static final int CTRL_ATTR_MAXATTR = 5;
  public static final int CTRL_ATTR_OPS = 6;
  public static final int CTRL_ATTR_MCAST_GROUPS = 7;

  // enum { CTRL_ATTR_MCAST_GRP_* }, nested inside each CTRL_ATTR_MCAST_GROUPS entry.
  public static final int CTRL_ATTR_MCAST_GRP_NAME = 1;
  public static final int CTRL_ATTR_MCAST_GRP_ID = 2;
}
