package io.kubelvs.operator.plan;

import io.kubelvs.api.v1alpha1.IpFamily;
import java.math.BigInteger;

/**
 * An inclusive range of addresses of one family, written as a CIDR ({@code 198.18.0.64/28}) or as
 * MetalLB writes it ({@code 198.18.0.64-198.18.0.79}). A CIDR's every address counts, network and
 * broadcast included: a VIP is a /32 on the director, not a host on a subnet.
 */
public record AddressRange(String text, IpAddress first, IpAddress last) {

  public AddressRange {
    if (first.family() != last.family()) {
      throw new IllegalArgumentException(
          "address range " + text + " mixes " + first.family() + " and " + last.family());
    }
    if (first.compareTo(last) > 0) {
      throw new IllegalArgumentException("address range " + text + " ends before it starts");
    }
  }

  /**
   * Parses a CIDR or a {@code first-last} range.
   *
   * @throws IllegalArgumentException naming the text when it is neither
   */
  public static AddressRange parse(String text) {
    int dash = text.indexOf('-');
    if (dash >= 0) {
      return new AddressRange(
          text,
          IpAddress.parse(text.substring(0, dash)),
          IpAddress.parse(text.substring(dash + 1)));
    }
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException(
          "address range '" + text + "' is neither a CIDR nor first-last");
    }
    IpAddress base = IpAddress.parse(text.substring(0, slash));
    int bits = base.family() == IpFamily.IPv4 ? 32 : 128;
    int prefix;
    try {
      prefix = Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("address range '" + text + "' has no prefix length", e);
    }
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException(
          "address range '" + text + "' has prefix length " + prefix + " beyond /" + bits);
    }
    BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
    BigInteger network = base.value().andNot(hostMask);
    return new AddressRange(
        text,
        new IpAddress(base.family(), network),
        new IpAddress(base.family(), network.or(hostMask)));
  }

  public IpFamily family() {
    return first.family();
  }

  public boolean contains(IpAddress address) {
    return address.family() == family()
        && address.compareTo(first) >= 0
        && address.compareTo(last) <= 0;
  }

  @Override
  public String toString() {
    return text;
  }
}
