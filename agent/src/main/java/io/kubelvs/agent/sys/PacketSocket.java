package io.kubelvs.agent.sys;

import io.kubelvs.agent.netlink.LibC;
import io.kubelvs.agent.netlink.Syscalls;
import java.nio.ByteBuffer;

/**
 * An AF_PACKET socket that sends complete Ethernet frames out of one interface: gratuitous ARP for
 * an IPv4 VIP, unsolicited neighbour advertisements for an IPv6 one. It is opened with protocol 0,
 * so the kernel queues nothing to it: it only sends.
 */
public final class PacketSocket implements AutoCloseable {
  // Ethernet header (IEEE 802.3): destination 6 bytes, source 6 bytes, EtherType be16.
  private static final int ETHERNET_HEADER_LENGTH = 14;
  private static final int ETHER_TYPE_OFFSET = 12;
  private static final int MAC_LENGTH = 6;

  /** A frame of a standard 1500-byte MTU plus its Ethernet header. */
  private static final int MAX_FRAME_BYTES = 1514;

  private final SocketDescriptor descriptor;
  private final String interfaceName;
  private final int interfaceIndex;
  private final ByteBuffer sendBuffer = Syscalls.direct(MAX_FRAME_BYTES);

  private PacketSocket(int fd, String interfaceName, int interfaceIndex) {
    this.descriptor = new SocketDescriptor(fd, "packet socket on " + interfaceName);
    this.interfaceName = interfaceName;
    this.interfaceIndex = interfaceIndex;
  }

  /** Opens a packet socket bound to the interface, in the calling thread's network namespace. */
  public static PacketSocket open(String interfaceName, int interfaceIndex) {
    return SocketDescriptor.openRaw(
        LibC.AF_PACKET,
        0,
        "socket(AF_PACKET, SOCK_RAW, 0) for " + interfaceName,
        fd -> new PacketSocket(fd, interfaceName, interfaceIndex),
        PacketSocket::bindToInterface);
  }

  private void bindToInterface() {
    ByteBuffer address = SocketAddresses.linkLayer(interfaceIndex, 0, new byte[0]);
    int errno = Syscalls.tryBind(descriptor.fd(), address, SocketAddresses.SOCKADDR_LL_LENGTH);
    if (errno != 0) {
      throw new SyscallException(
          "bind(packet socket to " + interfaceName + ", ifindex " + interfaceIndex + ")", errno);
    }
  }

  /**
   * Sends one Ethernet frame, header included, exactly as given (the kernel adds no padding or FCS;
   * a veth passes frames shorter than 60 bytes as they are).
   *
   * @throws SyscallException e.g. ENETDOWN when the interface is down
   */
  public void send(byte[] frame) {
    descriptor.checkOpen();
    if (frame.length < ETHERNET_HEADER_LENGTH || frame.length > MAX_FRAME_BYTES) {
      throw new IllegalArgumentException(
          "an Ethernet frame has 14-" + MAX_FRAME_BYTES + " bytes, not " + frame.length);
    }
    int etherType =
        (Byte.toUnsignedInt(frame[ETHER_TYPE_OFFSET]) << 8)
            | Byte.toUnsignedInt(frame[ETHER_TYPE_OFFSET + 1]);
    byte[] destination = new byte[MAC_LENGTH];
    System.arraycopy(frame, 0, destination, 0, MAC_LENGTH);
    ByteBuffer address = SocketAddresses.linkLayer(interfaceIndex, etherType, destination);
    sendBuffer.put(0, frame);
    long sent =
        Syscalls.sendTo(
            descriptor.fd(), sendBuffer, frame.length, address, SocketAddresses.SOCKADDR_LL_LENGTH);
    if (sent < 0) {
      throw new SyscallException(
          "sendto(%d-byte frame of EtherType 0x%04x on %s)"
              .formatted(frame.length, etherType, interfaceName),
          (int) -sent);
    }
  }

  @Override
  public void close() {
    descriptor.close();
  }

  @Override
  public String toString() {
    return "PacketSocket[" + interfaceName + " ifindex " + interfaceIndex + "]";
  }
}
