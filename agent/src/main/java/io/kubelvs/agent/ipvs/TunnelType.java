package io.kubelvs.agent.ipvs;

/** IP_VS_CONN_F_TUNNEL_TYPE_*: encapsulation of TUN forwarding. */
public enum TunnelType {
  IPIP(0),
  GUE(1),
  GRE(2);

  private final int value;

  TunnelType(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  public static TunnelType ofValue(int value) {
    for (TunnelType t : values()) {
      if (t.value == value) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown IPVS tunnel type " + value);
  }
}
