package io.kubelvs.agent.sys;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The Internet checksum of RFC 1071: the 16-bit one's complement of the one's complement sum of the
 * data taken as big-endian 16-bit words (an odd last byte is padded with a zero byte), plus the
 * pseudo-headers that VRRPv3 (RFC 5798 §5.2.8) and ICMPv6 (RFC 4443 §2.3) put in front of it.
 *
 * <p>Sums are carried as a {@code long} accumulator and folded only at the end, so a message can be
 * summed in pieces: {@code complement(add(add(pseudoHeader, a, ...), b, ...))}. Every piece but the
 * last must have an even length, or the words of the following pieces would be misaligned.
 */
public final class InternetChecksum {
  private InternetChecksum() {}

  /** The checksum of one piece of data, without a pseudo-header. */
  public static int of(byte[] data, int offset, int length) {
    return complement(add(0, data, offset, length));
  }

  /** Adds the 16-bit words of {@code data[offset, offset + length)} to a running sum. */
  public static long add(long sum, byte[] data, int offset, int length) {
    int end = offset + length;
    int i = offset;
    for (; i + 1 < end; i += 2) {
      sum += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
    }
    if (i < end) {
      sum += (data[i] & 0xff) << 8;
    }
    return sum;
  }

  /** Folds the carries back in (end-around carry) and takes the one's complement: the checksum. */
  public static int complement(long sum) {
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }

  /**
   * The sum of the pseudo-header of the address family of {@code source}: IPv4 (source,
   * destination, zero, protocol, 16-bit length; RFC 768/793) or IPv6 (source, destination, 32-bit
   * upper-layer length, three zero bytes, next header; RFC 8200 §8.1).
   *
   * @throws IllegalArgumentException if source and destination are of different families
   */
  public static long pseudoHeader(
      InetAddress source, InetAddress destination, int protocol, int upperLayerLength) {
    if (source instanceof Inet4Address && destination instanceof Inet4Address) {
      return ipv4PseudoHeader(
          (Inet4Address) source, (Inet4Address) destination, protocol, upperLayerLength);
    }
    if (source instanceof Inet6Address && destination instanceof Inet6Address) {
      return ipv6PseudoHeader(
          (Inet6Address) source, (Inet6Address) destination, protocol, upperLayerLength);
    }
    throw new IllegalArgumentException(
        "pseudo-header needs source and destination of one address family, got "
            + source.getHostAddress()
            + " and "
            + destination.getHostAddress());
  }

  /** RFC 768/793 IPv4 pseudo-header: source, destination, zero, protocol, length (16 bits). */
  public static long ipv4PseudoHeader(
      Inet4Address source, Inet4Address destination, int protocol, int length) {
    long sum = add(0, source.getAddress(), 0, 4);
    sum = add(sum, destination.getAddress(), 0, 4);
    return sum + (protocol & 0xff) + (length & 0xffff);
  }

  /**
   * RFC 8200 §8.1 IPv6 pseudo-header: source, destination, upper-layer packet length (32 bits),
   * three zero bytes, next header.
   */
  public static long ipv6PseudoHeader(
      Inet6Address source, Inet6Address destination, int nextHeader, int upperLayerLength) {
    long sum = add(0, source.getAddress(), 0, 16);
    sum = add(sum, destination.getAddress(), 0, 16);
    return sum + (upperLayerLength >>> 16) + (upperLayerLength & 0xffff) + (nextHeader & 0xff);
  }
}
