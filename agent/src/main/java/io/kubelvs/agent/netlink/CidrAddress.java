package io.kubelvs.agent.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An address with its prefix length, as it is put on an interface: {@code 198.18.0.50/32} (a VIP),
 * {@code 198.18.0.11/24}.
 */
public record CidrAddress(InetAddress address, int prefixLength) {
  public CidrAddress {
    Objects.requireNonNull(address, "address");
    int bits = address instanceof Inet4Address ? 32 : 128;
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException(
          "prefix length "
              + prefixLength
              + " of "
              + address.getHostAddress()
              + " is not 0-"
              + bits);
    }
  }

  /**
   * Parses {@code 198.18.0.50/32} or {@code 2001:2::50/128}; without a prefix length the address
   * stands alone (/32, /128). Only literals: no name is ever looked up.
   */
  public static CidrAddress parse(String text) {
    int slash = text.indexOf('/');
    String literal = slash < 0 ? text : text.substring(0, slash);
    InetAddress address = literal(literal, text);
    int bits = address instanceof Inet4Address ? 32 : 128;
    try {
      return new CidrAddress(
          address, slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an address/prefix: " + text, e);
    }
  }

  private static InetAddress literal(String literal, String text) {
    boolean ipv4 = literal.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean ipv6 = literal.contains(":") && literal.matches("[0-9A-Fa-f:.]+");
    if (!ipv4 && !ipv6) {
      throw new IllegalArgumentException("not an address/prefix: " + text);
    }
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address/prefix: " + text, e);
    }
  }

  /** LibC.AF_INET or LibC.AF_INET6. */
  public int family() {
    return address instanceof Inet4Address ? LibC.AF_INET : LibC.AF_INET6;
  }

  public boolean isIpv4() {
    return address instanceof Inet4Address;
  }

  @Override
  public String toString() {
    return address.getHostAddress() + "/" + prefixLength;
  }
}
