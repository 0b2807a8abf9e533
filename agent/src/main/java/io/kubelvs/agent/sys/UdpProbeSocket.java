package io.kubelvs.agent.sys;

import io.kubelvs.agent.netlink.Errno;
import io.kubelvs.agent.netlink.LibC;
import io.kubelvs.agent.netlink.Syscalls;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The UDP socket of one UDP_CHECK attempt, set up as keepalived's (layer4.c, udp_bind_connect):
 * with IP_RECVERR (IPV6_RECVERR) on, so that every ICMP error about our datagram is queued on the
 * socket, not only the "hard" ones a connected socket reports as a plain errno. A dead host's "host
 * unreachable" (sent by the local kernel when ARP gets no answer, or by a router) is a soft error
 * that Java's DatagramChannel never sees; keepalived counts it as a failure, so we must see it.
 *
 * <p>Unconnected: the datagram goes out with sendto, and replies from anyone but the destination
 * are skipped. Non-blocking; wait with a {@link Poller} (errors make the socket ready as well). Use
 * from one thread at a time.
 */
public final class UdpProbeSocket implements Pollable, AutoCloseable {
  static final int SOCK_DGRAM = 2;
  static final int IPPROTO_UDP = 17;
  // linux/in.h and linux/in6.h.
  static final int IP_RECVERR = 11;
  static final int IPV6_RECVERR = 25;
  // bits/socket.h: read the error queue instead of data.
  static final int MSG_ERRQUEUE = 0x2000;
  // struct sock_extended_err (linux/errqueue.h): ee_errno u32, ee_origin u8, ee_type u8, ee_code
  // u8, ee_pad u8, ee_info u32, ee_data u32; the offender's sockaddr follows (SO_EE_OFFENDER).
  static final int EE_ORIGIN_OFFSET = 4;
  static final int EE_TYPE_OFFSET = 5;
  static final int EE_CODE_OFFSET = 6;
  static final int SOCK_EXTENDED_ERR_LENGTH = 16;
  static final int PORT_OFFSET = 2;

  /** Only lengths matter (MSG_TRUNC reports the real one), so a reply's bytes are not kept. */
  private static final int DATA_BYTES = 64;

  private static final int CONTROL_BYTES = 256;

  private final SocketDescriptor descriptor;
  private final InetSocketAddress destination;
  private final String description;
  private final ByteBuffer header = Syscalls.direct(MessageReceiver.MSGHDR_LENGTH);
  private final ByteBuffer iovec = Syscalls.direct(MessageReceiver.IOVEC_LENGTH);
  private final ByteBuffer data = Syscalls.direct(DATA_BYTES);
  private final ByteBuffer name = Syscalls.direct(SocketAddresses.SOCKADDR_IN6_LENGTH);
  private final ByteBuffer control = Syscalls.direct(CONTROL_BYTES);

  private UdpProbeSocket(int fd, InetSocketAddress destination) {
    this.destination = destination;
    this.description = "UDP socket to " + text(destination);
    this.descriptor = new SocketDescriptor(fd, description);
    iovec.putLong(0, Syscalls.addressOf(data)).putLong(8, DATA_BYTES);
    header.putLong(MessageReceiver.MSG_NAME_OFFSET, Syscalls.addressOf(name));
    header.putLong(MessageReceiver.MSG_IOV_OFFSET, Syscalls.addressOf(iovec));
    header.putLong(MessageReceiver.MSG_IOVLEN_OFFSET, 1);
    header.putLong(MessageReceiver.MSG_CONTROL_OFFSET, Syscalls.addressOf(control));
  }

  /**
   * Opens the socket in the calling thread's network namespace, with IP_RECVERR on, bound to {@code
   * bind} when given (keepalived's bind_ip / bind_port).
   */
  public static UdpProbeSocket open(
      InetSocketAddress destination, Optional<InetSocketAddress> bind) {
    if (destination.isUnresolved()) {
      throw new IllegalArgumentException("UDP destination " + destination + " is not resolved");
    }
    boolean ipv4 = destination.getAddress() instanceof Inet4Address;
    int fd =
        Syscalls.openNonBlockingSocket(
            ipv4 ? LibC.AF_INET : LibC.AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    if (fd < 0) {
      throw new SyscallException(
          "socket(" + (ipv4 ? "AF_INET" : "AF_INET6") + ", SOCK_DGRAM, IPPROTO_UDP)", -fd);
    }
    return SocketDescriptor.configureOrClose(
        fd,
        socketFd -> new UdpProbeSocket(socketFd, destination),
        socket -> socket.setUp(ipv4, bind));
  }

  private void setUp(boolean ipv4, Optional<InetSocketAddress> bind) {
    int fd = descriptor.fd();
    ByteBuffer on = Syscalls.direct(4).putInt(0, 1);
    int errno =
        ipv4
            ? Syscalls.trySetOption(fd, LibC.IPPROTO_IP, IP_RECVERR, on, 4)
            : Syscalls.trySetOption(fd, LibC.IPPROTO_IPV6, IPV6_RECVERR, on, 4);
    if (errno != 0) {
      throw new SyscallException(
          "setsockopt(" + (ipv4 ? "IP_RECVERR" : "IPV6_RECVERR") + ") for " + description, errno);
    }
    if (bind.isPresent()) {
      InetSocketAddress local = bind.get();
      if ((local.getAddress() instanceof Inet4Address) != ipv4) {
        throw new IllegalArgumentException(
            "bind address " + text(local) + " is not of the family of " + text(destination));
      }
      errno =
          Syscalls.tryBind(fd, socketAddress(local), SocketAddresses.length(local.getAddress()));
      if (errno != 0) {
        throw new SyscallException("bind(" + text(local) + ") for " + description, errno);
      }
    }
  }

  /**
   * Sends {@code payload} as one datagram to the destination.
   *
   * @throws SyscallException when the kernel refuses at once, e.g. ENETUNREACH without a route
   */
  public void send(byte[] payload) {
    descriptor.checkOpen();
    ByteBuffer buffer = Syscalls.direct(Math.max(1, payload.length)).put(0, payload);
    InetAddress address = destination.getAddress();
    long sent =
        Syscalls.sendTo(
            descriptor.fd(),
            buffer,
            payload.length,
            socketAddress(destination),
            SocketAddresses.length(address));
    if (sent < 0) {
      throw new SyscallException(
          "sendto(" + payload.length + " bytes) on " + description, (int) -sent);
    }
  }

  /**
   * The length of the next queued datagram from the destination, without waiting; datagrams from
   * other senders are dropped. Read {@link #receiveError()} first: draining the error queue also
   * clears the pending errno that this call would otherwise report.
   *
   * @return empty when nothing from the destination is queued
   * @throws SyscallException for an error other than EAGAIN
   */
  public OptionalInt receiveReply() {
    descriptor.checkOpen();
    while (true) {
      long length = receive(LibC.MSG_DONTWAIT | LibC.MSG_TRUNC);
      if (length == -Errno.EAGAIN.code()) {
        return OptionalInt.empty();
      }
      if (length < 0) {
        throw new SyscallException("recvmsg on " + description, (int) -length);
      }
      if (fromDestination()) {
        return OptionalInt.of((int) length);
      }
    }
  }

  /**
   * The next error from the socket's error queue, without waiting.
   *
   * @return empty when the queue is empty
   */
  public Optional<UdpIcmpError> receiveError() {
    descriptor.checkOpen();
    while (true) {
      long length = receive(LibC.MSG_DONTWAIT | MSG_ERRQUEUE);
      if (length == -Errno.EAGAIN.code()) {
        return Optional.empty();
      }
      if (length < 0) {
        throw new SyscallException("recvmsg(MSG_ERRQUEUE) on " + description, (int) -length);
      }
      Optional<UdpIcmpError> error = extendedError();
      if (error.isPresent()) {
        return error;
      }
    }
  }

  private long receive(int flags) {
    // The kernel overwrites both lengths with what it wrote.
    header.putInt(MessageReceiver.MSG_NAMELEN_OFFSET, name.capacity());
    header.putLong(MessageReceiver.MSG_CONTROLLEN_OFFSET, CONTROL_BYTES);
    header.putInt(MessageReceiver.MSG_FLAGS_OFFSET, 0);
    return Syscalls.receiveMessage(descriptor.fd(), header, flags);
  }

  private boolean fromDestination() {
    int nameLength = header.getInt(MessageReceiver.MSG_NAMELEN_OFFSET);
    if (nameLength < SocketAddresses.SOCKADDR_IN_LENGTH) {
      return false;
    }
    int port =
        (Byte.toUnsignedInt(name.get(PORT_OFFSET)) << 8)
            | Byte.toUnsignedInt(name.get(PORT_OFFSET + 1));
    InetAddress source = SocketAddresses.decode(name);
    return port == destination.getPort()
        && Arrays.equals(source.getAddress(), destination.getAddress().getAddress());
  }

  /** The IP_RECVERR / IPV6_RECVERR control message of the last error-queue read, if any. */
  private Optional<UdpIcmpError> extendedError() {
    long length = header.getLong(MessageReceiver.MSG_CONTROLLEN_OFFSET);
    int offset = 0;
    while (offset + MessageReceiver.CMSG_HEADER_LENGTH <= length) {
      long cmsgLength = control.getLong(offset);
      if (cmsgLength < MessageReceiver.CMSG_HEADER_LENGTH || offset + cmsgLength > length) {
        break;
      }
      int level = control.getInt(offset + MessageReceiver.CMSG_LEVEL_OFFSET);
      int type = control.getInt(offset + MessageReceiver.CMSG_TYPE_OFFSET);
      int value = offset + MessageReceiver.CMSG_HEADER_LENGTH;
      int valueLength = (int) cmsgLength - MessageReceiver.CMSG_HEADER_LENGTH;
      boolean recvErr =
          (level == LibC.IPPROTO_IP && type == IP_RECVERR)
              || (level == LibC.IPPROTO_IPV6 && type == IPV6_RECVERR);
      if (recvErr && valueLength >= SOCK_EXTENDED_ERR_LENGTH) {
        return Optional.of(
            new UdpIcmpError(
                control.getInt(value),
                Byte.toUnsignedInt(control.get(value + EE_ORIGIN_OFFSET)),
                Byte.toUnsignedInt(control.get(value + EE_TYPE_OFFSET)),
                Byte.toUnsignedInt(control.get(value + EE_CODE_OFFSET)),
                offender(
                    value + SOCK_EXTENDED_ERR_LENGTH, valueLength - SOCK_EXTENDED_ERR_LENGTH)));
      }
      offset += (int) ((cmsgLength + MessageReceiver.CMSG_ALIGN - 1) & -MessageReceiver.CMSG_ALIGN);
    }
    return Optional.empty();
  }

  private Optional<InetAddress> offender(int offset, int length) {
    if (length < SocketAddresses.SOCKADDR_IN_LENGTH) {
      return Optional.empty();
    }
    int family = Short.toUnsignedInt(control.getShort(offset));
    if (family == LibC.AF_INET
        || (family == LibC.AF_INET6 && length >= SocketAddresses.SOCKADDR_IN6_LENGTH)) {
      ByteBuffer address = control.slice(offset, length).order(ByteOrder.nativeOrder());
      return Optional.of(SocketAddresses.decode(address));
    }
    return Optional.empty();
  }

  /** sockaddr_in / sockaddr_in6 with the port in network byte order (and the scope of fe80::). */
  private static ByteBuffer socketAddress(InetSocketAddress socketAddress) {
    InetAddress address = socketAddress.getAddress();
    int scope = address instanceof Inet6Address v6 ? v6.getScopeId() : 0;
    ByteBuffer out = SocketAddresses.ip(address, scope);
    out.put(PORT_OFFSET, (byte) (socketAddress.getPort() >> 8));
    out.put(PORT_OFFSET + 1, (byte) socketAddress.getPort());
    return out;
  }

  private static String text(InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host)
        + ":"
        + address.getPort();
  }

  public InetSocketAddress destination() {
    return destination;
  }

  @Override
  public int fileDescriptor() {
    return descriptor.fileDescriptor();
  }

  @Override
  public void close() {
    descriptor.close();
  }

  @Override
  public String toString() {
    return "UdpProbeSocket[" + description + "]";
  }
}
