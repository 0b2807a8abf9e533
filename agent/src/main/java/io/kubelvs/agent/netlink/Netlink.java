package io.kubelvs.agent.netlink;

/**
 * Constants of the netlink protocol itself, with the names they have in the kernel's {@code
 * include/uapi/linux/netlink.h}.
 */
public final class Netlink {
  private Netlink() {}

  // Protocol families for socket(AF_NETLINK, SOCK_RAW, protocol).
  public static final int NETLINK_ROUTE = 0;
  public static final int NETLINK_GENERIC = 16;

  // nlmsg_flags, common to all requests.
  public static final int NLM_F_REQUEST = 0x01;
  public static final int NLM_F_MULTI = 0x02;
  public static final int NLM_F_ACK = 0x04;
  public static final int NLM_F_ECHO = 0x08;
  public static final int NLM_F_DUMP_INTR = 0x10;
  public static final int NLM_F_DUMP_FILTERED = 0x20;

  // nlmsg_flags of GET requests.
  public static final int NLM_F_ROOT = 0x100;
  public static final int NLM_F_MATCH = 0x200;
  public static final int NLM_F_ATOMIC = 0x400;
  public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;

  // nlmsg_flags of NEW requests.
  public static final int NLM_F_REPLACE = 0x100;
  public static final int NLM_F_EXCL = 0x200;
  public static final int NLM_F_CREATE = 0x400;
  public static final int NLM_F_APPEND = 0x800;

  // nlmsg_flags of an NLMSG_ERROR acknowledgement.
  public static final int NLM_F_CAPPED = 0x100;
  public static final int NLM_F_ACK_TLVS = 0x200;

  // Message types below NLMSG_MIN_TYPE are the protocol's own.
  public static final int NLMSG_NOOP = 0x1;
  public static final int NLMSG_ERROR = 0x2;
  public static final int NLMSG_DONE = 0x3;
  public static final int NLMSG_OVERRUN = 0x4;
  public static final int NLMSG_MIN_TYPE = 0x10;

  /** Messages and attributes start on 4-byte boundaries (NLMSG_ALIGNTO, NLA_ALIGNTO). */
  public static final int NLMSG_ALIGNTO = 4;

  // Extended ACK attributes inside an NLMSG_ERROR or NLMSG_DONE (enum nlmsgerr_attrs).
  public static final int NLMSGERR_ATTR_MSG = 1;
  public static final int NLMSGERR_ATTR_OFFS = 2;
  public static final int NLMSGERR_ATTR_COOKIE = 3;

  // Socket options at level SOL_NETLINK.
  public static final int SOL_NETLINK = 270;
  public static final int NETLINK_ADD_MEMBERSHIP = 1;
  public static final int NETLINK_DROP_MEMBERSHIP = 2;
  public static final int NETLINK_NO_ENOBUFS = 5;
  public static final int NETLINK_CAP_ACK = 10;
  public static final int NETLINK_EXT_ACK = 11;
  public static final int NETLINK_GET_STRICT_CHK = 12;

  // struct nlattr type bits: the top two carry flags, the rest is the attribute type.
  public static final int NLA_F_NESTED = 1 << 15;
  public static final int NLA_F_NET_BYTEORDER = 1 << 14;
  public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

  /** Rounds a length up to the next netlink alignment boundary (NLMSG_ALIGN, NLA_ALIGN). */
  public static int align(int length) {
    return (length + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);
  }
}
