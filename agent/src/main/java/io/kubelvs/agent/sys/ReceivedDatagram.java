package io.kubelvs.agent.sys;

import java.net.InetAddress;

/**
 * What {@link RawIpSocket#receive} copied into the caller's buffer, and what the kernel said about
 * it. For IPv4 the bytes are the whole datagram, IPv4 header first ({@code headerLength} bytes);
 * for IPv6 the kernel strips the header, so the bytes are the payload and the header's fields
 * arrive as ancillary data.
 *
 * @param length the datagram's length; more than was copied when {@code truncated}
 * @param truncated the buffer was too small: its room was filled and the rest dropped
 * @param source the sender's address
 * @param destination where the datagram was sent: a multicast group, or an address of ours
 * @param hopLimit the TTL (IPv4 header) or hop limit (IPV6_HOPLIMIT) it arrived with; VRRP drops
 *     anything but 255 (RFC 5798 §7.1)
 * @param interfaceIndex the interface it arrived on
 * @param headerLength IPv4: the header length (IHL × 4) the payload starts after; IPv6: 0
 */
public record ReceivedDatagram(
    int length,
    boolean truncated,
    InetAddress source,
    InetAddress destination,
    int hopLimit,
    int interfaceIndex,
    int headerLength) {

  /** Bytes after the IP header: the protocol's message (a VRRP advert). */
  public int payloadLength() {
    return length - headerLength;
  }
}
