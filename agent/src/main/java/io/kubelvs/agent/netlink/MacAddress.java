package io.kubelvs.agent.netlink;

import java.util.Arrays;
import java.util.HexFormat;

/** A 48-bit Ethernet (IEEE 802) address, as IFLA_ADDRESS reports it and frames carry it. */
public final class MacAddress {
  public static final int LENGTH = 6;
  public static final MacAddress BROADCAST = of(new byte[] {-1, -1, -1, -1, -1, -1});

  private static final HexFormat COLONS = HexFormat.ofDelimiter(":");

  private final byte[] bytes;

  private MacAddress(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The address in these 6 bytes (copied). */
  public static MacAddress of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "a MAC address has 6 bytes, not "
              + bytes.length
              + ": "
              + HexFormat.of().formatHex(bytes));
    }
    return new MacAddress(bytes.clone());
  }

  /** Parses {@code 02:00:c6:12:00:0b}. */
  public static MacAddress parse(String text) {
    try {
      return of(COLONS.parseHex(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a MAC address (aa:bb:cc:dd:ee:ff): " + text, e);
    }
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MacAddress m && Arrays.equals(bytes, m.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** {@code 02:00:c6:12:00:0b}, as {@code ip link} prints it. */
  @Override
  public String toString() {
    return COLONS.formatHex(bytes);
  }
}
