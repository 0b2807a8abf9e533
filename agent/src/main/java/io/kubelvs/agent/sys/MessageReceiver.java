package io.kubelvs.agent.sys;

import io.kubelvs.agent.netlink.LibC;
import io.kubelvs.agent.netlink.Syscalls;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * The native memory recvmsg needs, set up once per socket, and what a received message carried
 * besides its bytes: the sender (msg_name) and the ancillary data (control messages) the socket
 * asked for, i.e. IP_PKTINFO, IPV6_PKTINFO and IPV6_HOPLIMIT.
 *
 * <pre>
 * struct msghdr (LP64)               struct iovec      struct cmsghdr, then data
 *  0 msg_name        (pointer)        0 iov_base        0 cmsg_len   (size_t, header + data)
 *  8 msg_namelen     (u32)            8 iov_len         8 cmsg_level (s32)
 * 16 msg_iov         (pointer)                         12 cmsg_type  (s32)
 * 24 msg_iovlen      (size_t)                          16 data, the next header at CMSG_ALIGN (8)
 * 32 msg_control     (pointer)
 * 40 msg_controllen  (size_t)
 * 48 msg_flags       (s32)
 * </pre>
 */
final class MessageReceiver {
  static final int MSGHDR_LENGTH = 56;
  static final int MSG_NAME_OFFSET = 0;
  static final int MSG_NAMELEN_OFFSET = 8;
  static final int MSG_IOV_OFFSET = 16;
  static final int MSG_IOVLEN_OFFSET = 24;
  static final int MSG_CONTROL_OFFSET = 32;
  static final int MSG_CONTROLLEN_OFFSET = 40;
  static final int MSG_FLAGS_OFFSET = 48;
  static final int IOVEC_LENGTH = 16;
  static final int CMSG_HEADER_LENGTH = 16;
  static final int CMSG_LEVEL_OFFSET = 8;
  static final int CMSG_TYPE_OFFSET = 12;
  static final int CMSG_ALIGN = 8;

  // struct in_pktinfo (linux/in.h): ifindex s32, spec_dst 4 bytes, addr 4 bytes (the header's
  // destination). struct in6_pktinfo (linux/ipv6.h): addr 16 bytes, ifindex s32.
  static final int IN_PKTINFO_ADDR_OFFSET = 8;
  static final int IN6_PKTINFO_IFINDEX_OFFSET = 16;

  /** Room for the largest IPv4 datagram (and any IPv6 one short of a jumbogram). */
  static final int DATA_BYTES = 65_536;

  static final int CONTROL_BYTES = 256;

  static {
    if (Syscalls.addressSize() != 8) {
      throw new UnsupportedOperationException(
          "struct msghdr is laid out for 64-bit Linux, not for "
              + 8 * Syscalls.addressSize()
              + "-bit pointers");
    }
  }

  private final ByteBuffer header = Syscalls.direct(MSGHDR_LENGTH);
  private final ByteBuffer iovec = Syscalls.direct(IOVEC_LENGTH);
  private final ByteBuffer data = Syscalls.direct(DATA_BYTES);
  private final ByteBuffer name = Syscalls.direct(SocketAddresses.SOCKADDR_IN6_LENGTH);
  private final ByteBuffer control = Syscalls.direct(CONTROL_BYTES);

  MessageReceiver() {
    iovec.putLong(0, Syscalls.addressOf(data)).putLong(8, DATA_BYTES);
    header.putLong(MSG_NAME_OFFSET, Syscalls.addressOf(name));
    header.putLong(MSG_IOV_OFFSET, Syscalls.addressOf(iovec));
    header.putLong(MSG_IOVLEN_OFFSET, 1);
    header.putLong(MSG_CONTROL_OFFSET, Syscalls.addressOf(control));
  }

  /**
   * One recvmsg without blocking, with MSG_TRUNC so the result is the datagram's real length;
   * -errno on failure (-EAGAIN: nothing queued).
   */
  long receive(int fd) {
    // The kernel overwrites both lengths with what it wrote.
    header.putInt(MSG_NAMELEN_OFFSET, name.capacity());
    header.putLong(MSG_CONTROLLEN_OFFSET, CONTROL_BYTES);
    header.putInt(MSG_FLAGS_OFFSET, 0);
    return Syscalls.receiveMessage(fd, header, LibC.MSG_DONTWAIT | LibC.MSG_TRUNC);
  }

  /** The received bytes, from position 0. */
  ByteBuffer data() {
    return data;
  }

  InetAddress source() {
    return SocketAddresses.decode(name);
  }

  /** The control messages did not all fit: some ancillary data is missing. */
  boolean controlTruncated() {
    return (header.getInt(MSG_FLAGS_OFFSET) & LibC.MSG_CTRUNC) != 0;
  }

  /** The ancillary data of the last message received. */
  Ancillary ancillary() {
    long length = header.getLong(MSG_CONTROLLEN_OFFSET);
    int interfaceIndex = 0;
    InetAddress destination = null;
    int hopLimit = -1;
    int offset = 0;
    while (offset + CMSG_HEADER_LENGTH <= length) {
      long cmsgLength = control.getLong(offset);
      if (cmsgLength < CMSG_HEADER_LENGTH || offset + cmsgLength > length) {
        break;
      }
      int level = control.getInt(offset + CMSG_LEVEL_OFFSET);
      int type = control.getInt(offset + CMSG_TYPE_OFFSET);
      int value = offset + CMSG_HEADER_LENGTH;
      if (level == LibC.IPPROTO_IP && type == LibC.IP_PKTINFO) {
        interfaceIndex = control.getInt(value);
        destination =
            SocketAddresses.address(
                SocketAddresses.slice(control, value + IN_PKTINFO_ADDR_OFFSET, 4));
      } else if (level == LibC.IPPROTO_IPV6 && type == LibC.IPV6_PKTINFO) {
        destination = SocketAddresses.address(SocketAddresses.slice(control, value, 16));
        interfaceIndex = control.getInt(value + IN6_PKTINFO_IFINDEX_OFFSET);
      } else if (level == LibC.IPPROTO_IPV6 && type == LibC.IPV6_HOPLIMIT) {
        hopLimit = control.getInt(value);
      }
      offset += (int) ((cmsgLength + CMSG_ALIGN - 1) & -CMSG_ALIGN);
    }
    return new Ancillary(interfaceIndex, destination, hopLimit);
  }

  /**
   * @param interfaceIndex 0 when no PKTINFO came
   * @param destination null when no PKTINFO came
   * @param hopLimit -1 when no IPV6_HOPLIMIT came
   */
  record Ancillary(int interfaceIndex, InetAddress destination, int hopLimit) {}
}
