package io.kubelvs.agent.vrrp;

import io.kubelvs.agent.sys.InternetChecksum;
import java.net.Inet4Address;
import java.net.InetAddress;

/** Helpers that make packets wrong in one chosen way, for the drop and fuzz tests. */
final class VrrpPacketMutations {
  private VrrpPacketMutations() {}

  /** Makes the checksum of {@code message[offset, offset + length)} valid for its new contents. */
  static void fixChecksum(
      int version,
      byte[] message,
      int offset,
      int length,
      InetAddress source,
      InetAddress destination) {
    int checksum = VrrpChecksum.compute(version, message, offset, length, source, destination);
    message[offset + VrrpPacket.CHECKSUM_OFFSET] = (byte) (checksum >>> 8);
    message[offset + VrrpPacket.CHECKSUM_OFFSET + 1] = (byte) checksum;
  }

  /** The datagram a raw socket would return for {@code message} sent as keepalived sends it. */
  static byte[] ipv4Datagram(Inet4Address source, Inet4Address destination, byte[] message) {
    byte[] datagram = new byte[20 + message.length];
    datagram[0] = 0x45;
    datagram[1] = (byte) 0xc0;
    datagram[2] = (byte) (datagram.length >>> 8);
    datagram[3] = (byte) datagram.length;
    datagram[8] = (byte) 255;
    datagram[9] = (byte) VrrpChecksum.IPPROTO_VRRP;
    System.arraycopy(source.getAddress(), 0, datagram, 12, 4);
    System.arraycopy(destination.getAddress(), 0, datagram, 16, 4);
    int checksum = InternetChecksum.of(datagram, 0, 20);
    datagram[10] = (byte) (checksum >>> 8);
    datagram[11] = (byte) checksum;
    System.arraycopy(message, 0, datagram, 20, message.length);
    return datagram;
  }

  /** Sets the IPv4 total length to what the datagram now has. */
  static void fixTotalLength(byte[] datagram, int length) {
    datagram[VrrpDecodedDatagram.IPV4_TOTAL_LENGTH_OFFSET] = (byte) (length >>> 8);
    datagram[VrrpDecodedDatagram.IPV4_TOTAL_LENGTH_OFFSET + 1] = (byte) length;
  }
}
