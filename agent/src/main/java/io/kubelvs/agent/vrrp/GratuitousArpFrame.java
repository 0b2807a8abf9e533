package io.kubelvs.agent.vrrp;

import java.net.Inet4Address;
import java.util.Arrays;

/**
 * The gratuitous ARP a new master sends for each IPv4 VIP, byte for byte what keepalived 2.2.7
 * sends (vrrp_arp.c): an ARP request (RFC 826, gratuitous per RFC 5227 §3) broadcast from the
 * interface's MAC, sender IP = target IP = the VIP, and the target hardware address
 * ff:ff:ff:ff:ff:ff (keepalived's choice; RFC 5227 leaves it unused). 42 bytes without padding: the
 * packet socket's driver pads to the Ethernet minimum.
 *
 * <pre>
 * Ethernet
 *  0  destination MAC  ff:ff:ff:ff:ff:ff
 *  6  source MAC       the interface's
 * 12  ethertype        0x0806 (ARP)
 * ARP (at 14)
 *  0  hardware type    1 (Ethernet)
 *  2  protocol type    0x0800 (IPv4)
 *  4  hardware length  6
 *  5  protocol length  4
 *  6  operation        1 (request)
 *  8  sender MAC       the interface's
 * 14  sender IP        the VIP
 * 18  target MAC       ff:ff:ff:ff:ff:ff
 * 24  target IP        the VIP
 * </pre>
 */
public final class GratuitousArpFrame {
  public static final int ETHERNET_DESTINATION_OFFSET = 0;
  public static final int ETHERNET_SOURCE_OFFSET = 6;
  public static final int ETHERTYPE_OFFSET = 12;
  public static final int ETHERNET_HEADER_LENGTH = 14;

  public static final int ARP_HARDWARE_TYPE_OFFSET = ETHERNET_HEADER_LENGTH;
  public static final int ARP_PROTOCOL_TYPE_OFFSET = ETHERNET_HEADER_LENGTH + 2;
  public static final int ARP_HARDWARE_LENGTH_OFFSET = ETHERNET_HEADER_LENGTH + 4;
  public static final int ARP_PROTOCOL_LENGTH_OFFSET = ETHERNET_HEADER_LENGTH + 5;
  public static final int ARP_OPERATION_OFFSET = ETHERNET_HEADER_LENGTH + 6;
  public static final int ARP_SENDER_MAC_OFFSET = ETHERNET_HEADER_LENGTH + 8;
  public static final int ARP_SENDER_IP_OFFSET = ETHERNET_HEADER_LENGTH + 14;
  public static final int ARP_TARGET_MAC_OFFSET = ETHERNET_HEADER_LENGTH + 18;
  public static final int ARP_TARGET_IP_OFFSET = ETHERNET_HEADER_LENGTH + 24;
  public static final int LENGTH = ETHERNET_HEADER_LENGTH + 28;

  public static final int ETHERTYPE_ARP = 0x0806;
  public static final int ETHERTYPE_IPV4 = 0x0800;
  public static final int ARP_HARDWARE_ETHERNET = 1;
  public static final int ARP_OPERATION_REQUEST = 1;
  public static final int MAC_LENGTH = 6;

  private GratuitousArpFrame() {}

  /**
   * The Ethernet frame announcing that {@code vip} is at {@code interfaceMac}.
   *
   * @param interfaceMac the 6-byte MAC of the interface the VIP is on
   */
  public static byte[] build(byte[] interfaceMac, Inet4Address vip) {
    requireMac(interfaceMac);
    byte[] ip = vip.getAddress();
    byte[] frame = new byte[LENGTH];
    Arrays.fill(frame, ETHERNET_DESTINATION_OFFSET, ETHERNET_SOURCE_OFFSET, (byte) 0xff);
    System.arraycopy(interfaceMac, 0, frame, ETHERNET_SOURCE_OFFSET, MAC_LENGTH);
    putU16(frame, ETHERTYPE_OFFSET, ETHERTYPE_ARP);
    putU16(frame, ARP_HARDWARE_TYPE_OFFSET, ARP_HARDWARE_ETHERNET);
    putU16(frame, ARP_PROTOCOL_TYPE_OFFSET, ETHERTYPE_IPV4);
    frame[ARP_HARDWARE_LENGTH_OFFSET] = MAC_LENGTH;
    frame[ARP_PROTOCOL_LENGTH_OFFSET] = 4;
    putU16(frame, ARP_OPERATION_OFFSET, ARP_OPERATION_REQUEST);
    System.arraycopy(interfaceMac, 0, frame, ARP_SENDER_MAC_OFFSET, MAC_LENGTH);
    System.arraycopy(ip, 0, frame, ARP_SENDER_IP_OFFSET, 4);
    Arrays.fill(frame, ARP_TARGET_MAC_OFFSET, ARP_TARGET_IP_OFFSET, (byte) 0xff);
    System.arraycopy(ip, 0, frame, ARP_TARGET_IP_OFFSET, 4);
    return frame;
  }

  static void requireMac(byte[] mac) {
    if (mac.length != MAC_LENGTH) {
      throw new IllegalArgumentException("an Ethernet MAC address has 6 bytes, got " + mac.length);
    }
  }

  static void putU16(byte[] out, int at, int value) {
    out[at] = (byte) (value >>> 8);
    out[at + 1] = (byte) value;
  }
}
