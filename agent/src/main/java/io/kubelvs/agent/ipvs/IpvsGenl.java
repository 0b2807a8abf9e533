package io.kubelvs.agent.ipvs;

/** The IPVS generic-netlink interface, with the names of include/uapi/linux/ip_vs.h. */
final class IpvsGenl {
  static final String IPVS_GENL_NAME = "IPVS";
  static final int IPVS_GENL_VERSION = 0x1;

  // enum IPVS_CMD_*
  static final int IPVS_CMD_NEW_SERVICE = 1;
  static final int IPVS_CMD_SET_SERVICE = 2;
  static final int IPVS_CMD_DEL_SERVICE = 3;
  static final int IPVS_CMD_GET_SERVICE = 4;
  static final int IPVS_CMD_NEW_DEST = 5;
  static final int IPVS_CMD_SET_DEST = 6;
  static final int IPVS_CMD_DEL_DEST = 7;
  static final int IPVS_CMD_GET_DEST = 8;
  static final int IPVS_CMD_SET_CONFIG = 12;
  static final int IPVS_CMD_GET_CONFIG = 13;
  static final int IPVS_CMD_GET_INFO = 15;

  // enum IPVS_CMD_ATTR_*
  static final int IPVS_CMD_ATTR_SERVICE = 1;
  static final int IPVS_CMD_ATTR_DEST = 2;
  static final int IPVS_CMD_ATTR_TIMEOUT_TCP = 4;
  static final int IPVS_CMD_ATTR_TIMEOUT_TCP_FIN = 5;
  static final int IPVS_CMD_ATTR_TIMEOUT_UDP = 6;

  // enum IPVS_SVC_ATTR_*
  static final int IPVS_SVC_ATTR_AF = 1;
  static final int IPVS_SVC_ATTR_PROTOCOL = 2;
  static final int IPVS_SVC_ATTR_ADDR = 3;
  static final int IPVS_SVC_ATTR_PORT = 4;
  static final int IPVS_SVC_ATTR_FWMARK = 5;
  static final int IPVS_SVC_ATTR_SCHED_NAME = 6;
  static final int IPVS_SVC_ATTR_FLAGS = 7;
  static final int IPVS_SVC_ATTR_TIMEOUT = 8;
  static final int IPVS_SVC_ATTR_NETMASK = 9;
  static final int IPVS_SVC_ATTR_STATS = 10;
  static final int IPVS_SVC_ATTR_STATS64 = 12;

  // enum IPVS_DEST_ATTR_*
  static final int IPVS_DEST_ATTR_ADDR = 1;
  static final int IPVS_DEST_ATTR_PORT = 2;
  static final int IPVS_DEST_ATTR_FWD_METHOD = 3;
  static final int IPVS_DEST_ATTR_WEIGHT = 4;
  static final int IPVS_DEST_ATTR_U_THRESH = 5;
  static final int IPVS_DEST_ATTR_L_THRESH = 6;
  static final int IPVS_DEST_ATTR_ACTIVE_CONNS = 7;
  static final int IPVS_DEST_ATTR_INACT_CONNS = 8;
  static final int IPVS_DEST_ATTR_PERSIST_CONNS = 9;
  static final int IPVS_DEST_ATTR_STATS = 10;
  static final int IPVS_DEST_ATTR_ADDR_FAMILY = 11;
  static final int IPVS_DEST_ATTR_STATS64 = 12;
  static final int IPVS_DEST_ATTR_TUN_TYPE = 13;
  static final int IPVS_DEST_ATTR_TUN_PORT = 14;
  static final int IPVS_DEST_ATTR_TUN_FLAGS = 15;

  // enum IPVS_STATS_ATTR_*
  static final int IPVS_STATS_ATTR_CONNS = 1;
  static final int IPVS_STATS_ATTR_INPKTS = 2;
  static final int IPVS_STATS_ATTR_OUTPKTS = 3;
  static final int IPVS_STATS_ATTR_INBYTES = 4;
  static final int IPVS_STATS_ATTR_OUTBYTES = 5;
  static final int IPVS_STATS_ATTR_CPS = 6;
  static final int IPVS_STATS_ATTR_INPPS = 7;
  static final int IPVS_STATS_ATTR_OUTPPS = 8;
  static final int IPVS_STATS_ATTR_INBPS = 9;
  static final int IPVS_STATS_ATTR_OUTBPS = 10;

  // enum IPVS_INFO_ATTR_*
  static final int IPVS_INFO_ATTR_VERSION = 1;
  static final int IPVS_INFO_ATTR_CONN_TAB_SIZE = 2;

  /** Addresses travel as union nf_inet_addr: 16 bytes whatever the family. */
  static final int NF_INET_ADDR_LENGTH = 16;

  private IpvsGenl() {}
}
