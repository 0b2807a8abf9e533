package io.kubelvs.agent.ipvs;

/** Transport protocol of an address-keyed IPVS service, with its IANA protocol number. */
public enum IpvsProtocol {
  TCP(6),
  UDP(17),
  SCTP(132);

  private final int number;

  IpvsProtocol(int number) {
    this.number = number;
  }

  /** The protocol number of IPVS_SVC_ATTR_PROTOCOL (IPPROTO_*). */
  public int number() {
    return number;
  }

  public static IpvsProtocol ofNumber(int number) {
    for (IpvsProtocol p : values()) {
      if (p.number == number) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "IPVS protocol number " + number + " is not TCP, UDP or SCTP");
  }
}
