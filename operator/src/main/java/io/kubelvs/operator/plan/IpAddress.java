package io.kubelvs.operator.plan;

import io.kubelvs.api.v1alpha1.IpFamily;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address as a number, so ranges can be walked and addresses ordered the way a
 * reader expects (198.18.0.9 before 198.18.0.10). Parsing accepts literals only: a host name is
 * refused instead of being looked up, which keeps the planner free of I/O.
 */
public record IpAddress(IpFamily family, BigInteger value) implements Comparable<IpAddress> {

  private static final Pattern IPV4 =
      Pattern.compile(
          "^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$");
  private static final Pattern IPV6 = Pattern.compile("^[0-9a-fA-F:]*:[0-9a-fA-F:.]*$");

  public IpAddress {
    int bits = family == IpFamily.IPv4 ? 32 : 128;
    if (value.signum() < 0 || value.bitLength() > bits) {
      throw new IllegalArgumentException(value + " is not an " + family + " address");
    }
  }

  /**
   * Parses {@code 198.18.0.50} or {@code 2001:db8::50}.
   *
   * @throws IllegalArgumentException if {@code text} is not an address literal
   */
  public static IpAddress parse(String text) {
    if (text == null || !(IPV4.matcher(text).matches() || IPV6.matcher(text).matches())) {
      throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address");
    }
    byte[] bytes;
    try {
      // A literal of one of the two shapes above is never looked up in DNS.
      bytes = InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address", e);
    }
    boolean v6Text = text.contains(":");
    if (v6Text && bytes.length == 4) {
      // Java turns ::ffff:a.b.c.d into an IPv4 address; a VIP must say which family it is.
      throw new IllegalArgumentException("'" + text + "' is an IPv4-mapped IPv6 address");
    }
    return new IpAddress(
        bytes.length == 4 ? IpFamily.IPv4 : IpFamily.IPv6, new BigInteger(1, bytes));
  }

  /** The address {@code delta} further on (negative: back). */
  public IpAddress plus(long delta) {
    return new IpAddress(family, value.add(BigInteger.valueOf(delta)));
  }

  /** The address in its usual text form: dotted quad, or RFC 5952 for IPv6. */
  @Override
  public String toString() {
    return family == IpFamily.IPv4 ? ipv4Text() : ipv6Text();
  }

  private String ipv4Text() {
    long v = value.longValue();
    return ((v >> 24) & 0xff)
        + "."
        + ((v >> 16) & 0xff)
        + "."
        + ((v >> 8) & 0xff)
        + "."
        + (v & 0xff);
  }

  /** RFC 5952 §4: lower case, no leading zeros, the longest run (≥ 2) of zero groups as "::". */
  private String ipv6Text() {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = value.shiftRight(16 * (7 - i)).intValue() & 0xffff;
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
  }

  /** IPv4 before IPv6, then by value. */
  @Override
  public int compareTo(IpAddress other) {
    int byFamily = family.compareTo(other.family);
    return byFamily != 0 ? byFamily : value.compareTo(other.value);
  }
}
