package io.kubelvs.agent.vrrp;

import static io.kubelvs.agent.vrrp.VrrpPacketDecoder.drop;
import static io.kubelvs.agent.vrrp.VrrpPacketDecoder.u16;
import static io.kubelvs.agent.vrrp.VrrpPacketDecoder.u8;

import java.net.Inet4Address;
import java.util.Arrays;
import java.util.Objects;

/**
 * A VRRP advertisement as a raw IPv4 socket of protocol 112 receives it, with the IPv4 header
 * fields the receive path judges. The TTL is reported here, not checked: RFC 5798 §7.1 requires 255
 * for multicast but not for unicast peers, which only the instance knows.
 *
 * <pre>
 * IPv4 header, RFC 791 §3.1
 *  0  version (4 bits) | IHL (4 bits, header length in 32-bit words)
 *  1  type of service (keepalived sends 0xc0, network control)
 *  2  total length (16 bits)
 *  4  identification, flags, fragment offset (32 bits; the kernel has reassembled)
 *  8  time to live
 *  9  protocol (112)
 * 10  header checksum (verified by the kernel)
 * 12  source address
 * 16  destination address
 * 20  options, up to IHL * 4; then the VRRP message
 * </pre>
 *
 * @param source the IP source: the sender's primary address on the link
 * @param destination the multicast group or, in unicast mode, this node's address
 * @param ttl time to live as received
 * @param tos type of service as received
 * @param packet the VRRP message
 */
public record VrrpDecodedDatagram(
    Inet4Address source, Inet4Address destination, int ttl, int tos, VrrpPacket packet) {

  public static final int IPV4_VERSION_IHL_OFFSET = 0;
  public static final int IPV4_TOS_OFFSET = 1;
  public static final int IPV4_TOTAL_LENGTH_OFFSET = 2;
  public static final int IPV4_TTL_OFFSET = 8;
  public static final int IPV4_PROTOCOL_OFFSET = 9;
  public static final int IPV4_SOURCE_OFFSET = 12;
  public static final int IPV4_DESTINATION_OFFSET = 16;
  public static final int IPV4_MIN_HEADER_LENGTH = 20;

  public VrrpDecodedDatagram {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(packet, "packet");
  }

  /** See {@link VrrpPacket#decodeIpv4Datagram}. */
  static VrrpDecodedDatagram decode(byte[] buf, int len) throws VrrpDecodeException {
    Objects.checkFromIndexSize(0, len, buf.length);
    if (len < IPV4_MIN_HEADER_LENGTH) {
      throw drop(
          DropReason.TOO_SHORT,
          "datagram of %d bytes, an IPv4 header alone needs %d",
          len,
          IPV4_MIN_HEADER_LENGTH);
    }
    int versionIhl = u8(buf, IPV4_VERSION_IHL_OFFSET);
    if (versionIhl >>> 4 != 4) {
      throw drop(
          DropReason.BAD_IP_HEADER,
          "IP version %d at IP offset %d (byte 0x%02x), expected 4",
          versionIhl >>> 4,
          IPV4_VERSION_IHL_OFFSET,
          versionIhl);
    }
    int headerLength = (versionIhl & 0x0f) * 4;
    if (headerLength < IPV4_MIN_HEADER_LENGTH) {
      throw drop(
          DropReason.BAD_IP_HEADER,
          "IHL %d at IP offset %d (byte 0x%02x), expected at least 5",
          versionIhl & 0x0f,
          IPV4_VERSION_IHL_OFFSET,
          versionIhl);
    }
    if (headerLength > len) {
      throw drop(
          DropReason.TOO_SHORT,
          "datagram of %d bytes, its IHL at IP offset %d says the header alone has %d",
          len,
          IPV4_VERSION_IHL_OFFSET,
          headerLength);
    }
    int totalLength = u16(buf, IPV4_TOTAL_LENGTH_OFFSET);
    if (totalLength != len) {
      throw drop(
          DropReason.LENGTH_MISMATCH,
          "IP total length %d at IP offset %d, but %d bytes were received",
          totalLength,
          IPV4_TOTAL_LENGTH_OFFSET,
          len);
    }
    int protocol = u8(buf, IPV4_PROTOCOL_OFFSET);
    if (protocol != VrrpChecksum.IPPROTO_VRRP) {
      throw drop(
          DropReason.BAD_IP_HEADER,
          "IP protocol %d at IP offset %d, expected %d (VRRP)",
          protocol,
          IPV4_PROTOCOL_OFFSET,
          VrrpChecksum.IPPROTO_VRRP);
    }
    Inet4Address source = address(buf, IPV4_SOURCE_OFFSET);
    Inet4Address destination = address(buf, IPV4_DESTINATION_OFFSET);
    VrrpPacket packet =
        VrrpPacket.decode(buf, headerLength, len - headerLength, source, destination);
    return new VrrpDecodedDatagram(
        source, destination, u8(buf, IPV4_TTL_OFFSET), u8(buf, IPV4_TOS_OFFSET), packet);
  }

  private static Inet4Address address(byte[] buf, int at) {
    return VrrpPacketDecoder.ipv4Address(Arrays.copyOfRange(buf, at, at + 4));
  }
}
