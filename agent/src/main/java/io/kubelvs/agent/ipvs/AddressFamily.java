package io.kubelvs.agent.ipvs;

import java.net.Inet4Address;
import java.net.InetAddress;

/** AF_INET / AF_INET6 as IPVS_SVC_ATTR_AF and IPVS_DEST_ATTR_ADDR_FAMILY carry them. */
public enum AddressFamily {
  INET(2, 4),
  INET6(10, 16);

  private final int value;
  private final int addressLength;

  AddressFamily(int value, int addressLength) {
    this.value = value;
    this.addressLength = addressLength;
  }

  public int value() {
    return value;
  }

  public int addressLength() {
    return addressLength;
  }

  public static AddressFamily of(InetAddress address) {
    return address instanceof Inet4Address ? INET : INET6;
  }

  public static AddressFamily ofValue(int value) {
    for (AddressFamily f : values()) {
      if (f.value == value) {
        return f;
      }
    }
    throw new IllegalArgumentException("address family " + value + " is not AF_INET or AF_INET6");
  }
}
