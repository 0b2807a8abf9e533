package io.kubelvs.agent.sys;

import io.kubelvs.agent.netlink.LibC;
import io.kubelvs.agent.netlink.Syscalls;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Socket addresses as the kernel takes them: the family in host byte order, ports and addresses in
 * network byte order, in direct buffers.
 */
final class SocketAddresses {
  private SocketAddresses() {}

  // struct sockaddr_in (netinet/in.h): family u16, port be16, addr 4 bytes, zero 8 bytes.
  static final int SOCKADDR_IN_LENGTH = 16;
  static final int SIN_ADDR_OFFSET = 4;
  // struct sockaddr_in6: family u16, port be16, flowinfo be32, addr 16 bytes, scope_id u32.
  static final int SOCKADDR_IN6_LENGTH = 28;
  static final int SIN6_ADDR_OFFSET = 8;
  static final int SIN6_SCOPE_ID_OFFSET = 24;
  // struct sockaddr_ll (linux/if_packet.h): family u16, protocol be16, ifindex s32, hatype u16,
  // pkttype u8, halen u8, addr 8 bytes.
  static final int SOCKADDR_LL_LENGTH = 20;
  static final int SLL_PROTOCOL_OFFSET = 2;
  static final int SLL_IFINDEX_OFFSET = 4;
  static final int SLL_HALEN_OFFSET = 11;
  static final int SLL_ADDR_OFFSET = 12;

  /** sockaddr_in or sockaddr_in6 (scope id {@code interfaceIndex}, for link-scope addresses). */
  static ByteBuffer ip(InetAddress address, int interfaceIndex) {
    if (address instanceof Inet4Address) {
      ByteBuffer out = Syscalls.direct(SOCKADDR_IN_LENGTH);
      out.putShort(0, (short) LibC.AF_INET);
      out.put(SIN_ADDR_OFFSET, address.getAddress());
      return out;
    }
    ByteBuffer out = Syscalls.direct(SOCKADDR_IN6_LENGTH);
    out.putShort(0, (short) LibC.AF_INET6);
    out.put(SIN6_ADDR_OFFSET, address.getAddress());
    if (needsScope((Inet6Address) address)) {
      out.putInt(SIN6_SCOPE_ID_OFFSET, interfaceIndex);
    }
    return out;
  }

  static int length(InetAddress address) {
    return address instanceof Inet4Address ? SOCKADDR_IN_LENGTH : SOCKADDR_IN6_LENGTH;
  }

  /**
   * fe80::/10 and multicast of interface- or link-local scope mean something only per interface.
   */
  private static boolean needsScope(Inet6Address address) {
    return address.isLinkLocalAddress() || address.isMCLinkLocal() || address.isMCNodeLocal();
  }

  /** The address in a sockaddr_in or sockaddr_in6 the kernel wrote (recvmsg's msg_name). */
  static InetAddress decode(ByteBuffer name) {
    int family = Short.toUnsignedInt(name.getShort(0));
    byte[] bytes =
        family == LibC.AF_INET6
            ? slice(name, SIN6_ADDR_OFFSET, 16)
            : slice(name, SIN_ADDR_OFFSET, 4);
    return address(bytes);
  }

  /** sockaddr_ll to send a frame out of {@code interfaceIndex} to {@code destination}. */
  static ByteBuffer linkLayer(int interfaceIndex, int etherType, byte[] destination) {
    ByteBuffer out = Syscalls.direct(SOCKADDR_LL_LENGTH);
    out.putShort(0, (short) LibC.AF_PACKET);
    out.order(ByteOrder.BIG_ENDIAN).putShort(SLL_PROTOCOL_OFFSET, (short) etherType);
    out.order(ByteOrder.nativeOrder());
    out.putInt(SLL_IFINDEX_OFFSET, interfaceIndex);
    out.put(SLL_HALEN_OFFSET, (byte) destination.length);
    out.put(SLL_ADDR_OFFSET, destination);
    return out;
  }

  static byte[] slice(ByteBuffer buffer, int offset, int length) {
    byte[] bytes = new byte[length];
    buffer.get(offset, bytes);
    return bytes;
  }

  static InetAddress address(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException impossible) {
      throw new AssertionError("not 4 or 16 bytes: " + Arrays.toString(bytes), impossible);
    }
  }
}
