package io.kubelvs.agent.ipvs;

/** Forwarding method of a destination: IP_VS_CONN_F_* of include/uapi/linux/ip_vs.h. */
public enum Forwarding {
  /** IP_VS_CONN_F_MASQ, ipvsadm -m. */
  NAT(0),
  /** IP_VS_CONN_F_LOCALNODE: the kernel reports it for a destination that is a local address. */
  LOCAL(1),
  /** IP_VS_CONN_F_TUNNEL, ipvsadm -i. */
  TUN(2),
  /** IP_VS_CONN_F_DROUTE, ipvsadm -g. */
  DR(3);

  private final int flag;

  Forwarding(int flag) {
    this.flag = flag;
  }

  public int flag() {
    return flag;
  }

  public static Forwarding ofFlag(int connFlags) {
    int method = connFlags & 0x7; // IP_VS_CONN_F_FWD_MASK
    for (Forwarding f : values()) {
      if (f.flag == method) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown IPVS forwarding method " + method);
  }
}
