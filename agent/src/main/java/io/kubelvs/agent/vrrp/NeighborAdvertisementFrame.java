package io.kubelvs.agent.vrrp;

import static io.kubelvs.agent.vrrp.GratuitousArpFrame.MAC_LENGTH;
import static io.kubelvs.agent.vrrp.GratuitousArpFrame.putU16;
import static io.kubelvs.agent.vrrp.GratuitousArpFrame.requireMac;

import io.kubelvs.agent.sys.InternetChecksum;
import java.net.Inet6Address;

/**
 * The unsolicited Neighbor Advertisement (RFC 4861 §7.2.6) a new master sends for each IPv6 VIP,
 * the IPv6 counterpart of the gratuitous ARP, laid out as keepalived 2.2.7 does (vrrp_ndisc.c):
 * from the interface's MAC and the VIP itself to all-nodes ff02::1 (MAC 33:33:00:00:00:01), hop
 * limit 255, Override set, Solicited clear, Router as the caller says (keepalived: the interface's
 * forwarding sysctl), target = the VIP, with a Target Link-Layer Address option.
 *
 * <pre>
 * Ethernet
 *  0  destination MAC   33:33:00:00:00:01 (RFC 2464 §7 mapping of ff02::1)
 *  6  source MAC        the interface's
 * 12  ethertype         0x86dd (IPv6)
 * IPv6 (at 14), RFC 8200 §3
 *  0  version 6, traffic class 0, flow label 0 (32 bits)
 *  4  payload length    32
 *  6  next header       58 (ICMPv6)
 *  7  hop limit         255
 *  8  source            the VIP
 * 24  destination       ff02::1
 * ICMPv6 Neighbor Advertisement (at 54), RFC 4861 §4.4
 *  0  type 136, code 0
 *  2  checksum (RFC 4443 §2.3: over the IPv6 pseudo-header and the ICMPv6 message)
 *  4  flags R (0x80), S (0x40), O (0x20); 29 reserved bits
 *  8  target address    the VIP
 * 24  option type 2 (Target Link-Layer Address), length 1 (8 bytes)
 * 26  the interface's MAC
 * </pre>
 */
public final class NeighborAdvertisementFrame {
  public static final int ETHERNET_HEADER_LENGTH = GratuitousArpFrame.ETHERNET_HEADER_LENGTH;
  public static final int IPV6_OFFSET = ETHERNET_HEADER_LENGTH;
  public static final int IPV6_PAYLOAD_LENGTH_OFFSET = IPV6_OFFSET + 4;
  public static final int IPV6_NEXT_HEADER_OFFSET = IPV6_OFFSET + 6;
  public static final int IPV6_HOP_LIMIT_OFFSET = IPV6_OFFSET + 7;
  public static final int IPV6_SOURCE_OFFSET = IPV6_OFFSET + 8;
  public static final int IPV6_DESTINATION_OFFSET = IPV6_OFFSET + 24;
  public static final int IPV6_HEADER_LENGTH = 40;

  public static final int ICMPV6_OFFSET = IPV6_OFFSET + IPV6_HEADER_LENGTH;
  public static final int ICMPV6_CHECKSUM_OFFSET = ICMPV6_OFFSET + 2;
  public static final int NA_FLAGS_OFFSET = ICMPV6_OFFSET + 4;
  public static final int NA_TARGET_OFFSET = ICMPV6_OFFSET + 8;
  public static final int NA_OPTION_OFFSET = ICMPV6_OFFSET + 24;
  public static final int NA_OPTION_MAC_OFFSET = NA_OPTION_OFFSET + 2;
  public static final int ICMPV6_LENGTH = 32;
  public static final int LENGTH = ICMPV6_OFFSET + ICMPV6_LENGTH;

  public static final int ETHERTYPE_IPV6 = 0x86dd;
  public static final int IPPROTO_ICMPV6 = 58;
  public static final int HOP_LIMIT = 255;
  public static final int ICMPV6_NEIGHBOR_ADVERTISEMENT = 136;
  public static final int FLAG_ROUTER = 0x80;
  public static final int FLAG_SOLICITED = 0x40;
  public static final int FLAG_OVERRIDE = 0x20;
  public static final int OPTION_TARGET_LINK_LAYER_ADDRESS = 2;

  private static final byte[] ALL_NODES = {
    (byte) 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
  };
  private static final byte[] ALL_NODES_MAC = {0x33, 0x33, 0, 0, 0, 1};

  private NeighborAdvertisementFrame() {}

  /**
   * The Ethernet frame announcing that {@code vip} is at {@code interfaceMac}.
   *
   * @param router the Router flag: whether this node forwards IPv6 on the interface
   */
  public static byte[] build(byte[] interfaceMac, Inet6Address vip, boolean router) {
    requireMac(interfaceMac);
    byte[] target = vip.getAddress();
    byte[] frame = new byte[LENGTH];
    System.arraycopy(ALL_NODES_MAC, 0, frame, 0, MAC_LENGTH);
    System.arraycopy(interfaceMac, 0, frame, MAC_LENGTH, MAC_LENGTH);
    putU16(frame, GratuitousArpFrame.ETHERTYPE_OFFSET, ETHERTYPE_IPV6);

    frame[IPV6_OFFSET] = 0x60;
    putU16(frame, IPV6_PAYLOAD_LENGTH_OFFSET, ICMPV6_LENGTH);
    frame[IPV6_NEXT_HEADER_OFFSET] = IPPROTO_ICMPV6;
    frame[IPV6_HOP_LIMIT_OFFSET] = (byte) HOP_LIMIT;
    System.arraycopy(target, 0, frame, IPV6_SOURCE_OFFSET, 16);
    System.arraycopy(ALL_NODES, 0, frame, IPV6_DESTINATION_OFFSET, 16);

    frame[ICMPV6_OFFSET] = (byte) ICMPV6_NEIGHBOR_ADVERTISEMENT;
    frame[NA_FLAGS_OFFSET] = (byte) (FLAG_OVERRIDE | (router ? FLAG_ROUTER : 0));
    System.arraycopy(target, 0, frame, NA_TARGET_OFFSET, 16);
    frame[NA_OPTION_OFFSET] = OPTION_TARGET_LINK_LAYER_ADDRESS;
    frame[NA_OPTION_OFFSET + 1] = 1;
    System.arraycopy(interfaceMac, 0, frame, NA_OPTION_MAC_OFFSET, MAC_LENGTH);

    long sum = InternetChecksum.ipv6PseudoHeader(vip, allNodes(), IPPROTO_ICMPV6, ICMPV6_LENGTH);
    int checksum =
        InternetChecksum.complement(InternetChecksum.add(sum, frame, ICMPV6_OFFSET, ICMPV6_LENGTH));
    putU16(frame, ICMPV6_CHECKSUM_OFFSET, checksum);
    return frame;
  }

  private static Inet6Address allNodes() {
    return VrrpPacketDecoder.ipv6Address(ALL_NODES.clone());
  }
}
