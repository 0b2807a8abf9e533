package io.kubelvs.agent.vrrp;

import io.kubelvs.agent.sys.InternetChecksum;
import java.net.InetAddress;

/**
 * The VRRP checksum. VRRPv2 (RFC 3768 §5.3.8): the Internet checksum of the VRRP message alone,
 * authentication data included. VRRPv3 (RFC 5798 §5.2.8): of the IPv4 or IPv6 pseudo-header
 * (protocol 112, the VRRP message's length) followed by the message. In both the checksum field
 * counts as zero while computing.
 */
public final class VrrpChecksum {
  /** IANA protocol number of VRRP, in the IPv4 protocol / IPv6 next-header field. */
  public static final int IPPROTO_VRRP = 112;

  private VrrpChecksum() {}

  /**
   * The checksum to put into {@code message[offset, offset + length)}, whatever its checksum field
   * holds now.
   *
   * @param source the IP source address (used by v3 only)
   * @param destination the IP destination address (used by v3 only)
   */
  public static int compute(
      int version,
      byte[] message,
      int offset,
      int length,
      InetAddress source,
      InetAddress destination) {
    long sum = pseudoHeader(version, length, source, destination);
    sum = InternetChecksum.add(sum, message, offset, VrrpPacket.CHECKSUM_OFFSET);
    int afterChecksum = VrrpPacket.CHECKSUM_OFFSET + 2;
    sum = InternetChecksum.add(sum, message, offset + afterChecksum, length - afterChecksum);
    return InternetChecksum.complement(sum);
  }

  /**
   * Whether the checksum field of the message verifies: the sum over everything, the field
   * included, is zero in one's complement (either representation of the checksum is accepted).
   */
  public static boolean verifies(
      int version,
      byte[] message,
      int offset,
      int length,
      InetAddress source,
      InetAddress destination) {
    long sum = pseudoHeader(version, length, source, destination);
    return InternetChecksum.complement(InternetChecksum.add(sum, message, offset, length)) == 0;
  }

  private static long pseudoHeader(
      int version, int length, InetAddress source, InetAddress destination) {
    return version == 3
        ? InternetChecksum.pseudoHeader(source, destination, IPPROTO_VRRP, length)
        : 0;
  }
}
