package io.kubelvs.agent.sys;

import io.kubelvs.agent.netlink.Errno;
import io.kubelvs.agent.netlink.LibC;
import io.kubelvs.agent.netlink.Syscalls;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * A raw IPv4 or IPv6 socket for one IP protocol (112: VRRP) on one interface, set up as keepalived
 * sets up its VRRP sockets: bound to the interface (SO_BINDTODEVICE), multicast out of it, TTL/hop
 * limit 255 for multicast and unicast, TOS/traffic class 0xc0, no DF bit (IPv4), multicast loop
 * off, and only the groups it joins itself delivered to it (IP_MULTICAST_ALL off). The kernel adds
 * the IP header on send and computes no checksum for protocol 112 (not over IPv6 either): the
 * message carries its own.
 *
 * <p>Non-blocking: {@link #receive} waits with poll(2) up to its timeout, and an event loop that
 * waits on several sockets uses a {@link Poller} and then {@code receive(buffer, Duration.ZERO)}.
 * Sending and receiving use separate buffers, so one thread may send while another receives; each
 * of the two on one thread at a time. Close the socket after both have stopped using it.
 */
public final class RawIpSocket implements Pollable, AutoCloseable {
  // The IPv4 header (RFC 791): version and IHL in byte 0, TTL in byte 8.
  private static final int IPV4_MIN_HEADER_LENGTH = 20;
  private static final int IPV4_TTL_OFFSET = 8;
  // struct ip_mreqn (linux/in.h): multiaddr 4 bytes, address 4 bytes, ifindex s32.
  private static final int IP_MREQN_LENGTH = 12;
  private static final int IP_MREQN_IFINDEX_OFFSET = 8;
  // struct ipv6_mreq (linux/in6.h): multiaddr 16 bytes, ifindex s32.
  private static final int IPV6_MREQ_LENGTH = 20;
  private static final int IPV6_MREQ_IFINDEX_OFFSET = 16;
  // struct pollfd (poll.h): fd s32, events s16, revents s16.
  private static final int POLLFD_LENGTH = 8;
  private static final int POLLFD_EVENTS_OFFSET = 4;

  /** The largest payload an IPv4 datagram can carry (65535 - 20-byte header). */
  private static final int MAX_MESSAGE_BYTES = 65_515;

  private final SocketDescriptor descriptor;
  private final RawIpSocketOptions options;
  private final String description;
  private final ByteBuffer sendBuffer = Syscalls.direct(MAX_MESSAGE_BYTES);
  private final MessageReceiver receiver = new MessageReceiver();
  private final ByteBuffer pollfd = Syscalls.direct(POLLFD_LENGTH);

  private RawIpSocket(int fd, RawIpSocketOptions options) {
    this.options = options;
    this.description = "protocol " + options.protocol() + " on " + options.interfaceName();
    this.descriptor = new SocketDescriptor(fd, "raw socket for " + description);
  }

  /** Opens and sets up the socket in the calling thread's network namespace (needs CAP_NET_RAW). */
  public static RawIpSocket open(RawIpSocketOptions options) {
    return SocketDescriptor.openRaw(
        options.isIpv4() ? LibC.AF_INET : LibC.AF_INET6,
        options.protocol(),
        "socket("
            + (options.isIpv4() ? "AF_INET" : "AF_INET6")
            + ", SOCK_RAW, "
            + options.protocol()
            + ") for "
            + options.interfaceName(),
        fd -> new RawIpSocket(fd, options),
        RawIpSocket::configure);
  }

  private void configure() {
    byte[] name = options.interfaceName().getBytes(StandardCharsets.UTF_8);
    ByteBuffer device = Syscalls.direct(name.length + 1).put(0, name);
    setOption(LibC.SOL_SOCKET, LibC.SO_BINDTODEVICE, device, "SO_BINDTODEVICE");
    int hops = options.hopLimit();
    int loop = options.multicastLoop() ? 1 : 0;
    if (options.isIpv4()) {
      setOption(LibC.IPPROTO_IP, LibC.IP_MULTICAST_IF, ipMreqn(null), "IP_MULTICAST_IF");
      setInt(LibC.IPPROTO_IP, LibC.IP_MULTICAST_TTL, hops, "IP_MULTICAST_TTL");
      setInt(LibC.IPPROTO_IP, LibC.IP_TTL, hops, "IP_TTL");
      setInt(LibC.IPPROTO_IP, LibC.IP_MULTICAST_LOOP, loop, "IP_MULTICAST_LOOP");
      setInt(LibC.IPPROTO_IP, LibC.IP_TOS, options.trafficClass(), "IP_TOS");
      // No DF bit, as keepalived's adverts (it writes the header itself): nothing to discover.
      setInt(LibC.IPPROTO_IP, LibC.IP_MTU_DISCOVER, LibC.IP_PMTUDISC_DONT, "IP_MTU_DISCOVER");
      setInt(LibC.IPPROTO_IP, LibC.IP_MULTICAST_ALL, 0, "IP_MULTICAST_ALL");
      setInt(LibC.IPPROTO_IP, LibC.IP_PKTINFO, 1, "IP_PKTINFO");
    } else {
      int index = options.interfaceIndex();
      setInt(LibC.IPPROTO_IPV6, LibC.IPV6_MULTICAST_IF, index, "IPV6_MULTICAST_IF");
      setInt(LibC.IPPROTO_IPV6, LibC.IPV6_MULTICAST_HOPS, hops, "IPV6_MULTICAST_HOPS");
      setInt(LibC.IPPROTO_IPV6, LibC.IPV6_UNICAST_HOPS, hops, "IPV6_UNICAST_HOPS");
      setInt(LibC.IPPROTO_IPV6, LibC.IPV6_MULTICAST_LOOP, loop, "IPV6_MULTICAST_LOOP");
      setInt(LibC.IPPROTO_IPV6, LibC.IPV6_TCLASS, options.trafficClass(), "IPV6_TCLASS");
      setInt(LibC.IPPROTO_IPV6, LibC.IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT");
      setInt(LibC.IPPROTO_IPV6, LibC.IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO");
      // Linux 4.20+; before it, a raw socket also gets groups other sockets joined.
      int errno = trySetInt(LibC.IPPROTO_IPV6, LibC.IPV6_MULTICAST_ALL, 0);
      if (errno != 0 && errno != Errno.ENOPROTOOPT.code()) {
        throw new SyscallException("setsockopt(IPV6_MULTICAST_ALL 0) for " + description, errno);
      }
    }
    options.sourceAddress().ifPresent(this::bind);
  }

  private void bind(InetAddress source) {
    ByteBuffer address = SocketAddresses.ip(source, options.interfaceIndex());
    int errno = Syscalls.tryBind(descriptor.fd(), address, SocketAddresses.length(source));
    if (errno != 0) {
      throw new SyscallException(
          "bind(" + source.getHostAddress() + ") for " + description,
          errno,
          errno == Errno.EADDRNOTAVAIL.code()
              ? "the address is not on " + options.interfaceName()
              : null);
    }
  }

  /**
   * Joins a multicast group on the socket's interface: IP_ADD_MEMBERSHIP with an ip_mreqn that
   * names the interface by index (a plain ip_mreq fails with ENODEV where no route covers the
   * group, as in a fresh namespace), or IPV6_JOIN_GROUP with the index.
   */
  public void joinGroup(InetAddress group) {
    membership(group, true);
  }

  public void leaveGroup(InetAddress group) {
    membership(group, false);
  }

  private void membership(InetAddress group, boolean join) {
    checkFamily(group, "group");
    String what = group.getHostAddress();
    if (options.isIpv4()) {
      int option = join ? LibC.IP_ADD_MEMBERSHIP : LibC.IP_DROP_MEMBERSHIP;
      String name = (join ? "IP_ADD_MEMBERSHIP " : "IP_DROP_MEMBERSHIP ") + what;
      setOption(LibC.IPPROTO_IP, option, ipMreqn((Inet4Address) group), name);
    } else {
      ByteBuffer mreq = Syscalls.direct(IPV6_MREQ_LENGTH).put(0, group.getAddress());
      mreq.putInt(IPV6_MREQ_IFINDEX_OFFSET, options.interfaceIndex());
      int option = join ? LibC.IPV6_ADD_MEMBERSHIP : LibC.IPV6_DROP_MEMBERSHIP;
      setOption(
          LibC.IPPROTO_IPV6,
          option,
          mreq,
          (join ? "IPV6_JOIN_GROUP " : "IPV6_LEAVE_GROUP ") + what);
    }
  }

  /** struct ip_mreqn for {@code group} (null: none, for IP_MULTICAST_IF) on our interface. */
  private ByteBuffer ipMreqn(Inet4Address group) {
    ByteBuffer mreqn = Syscalls.direct(IP_MREQN_LENGTH);
    if (group != null) {
      mreqn.put(0, group.getAddress());
    }
    return mreqn.putInt(IP_MREQN_IFINDEX_OFFSET, options.interfaceIndex());
  }

  /**
   * Sends {@code message} (the protocol's bytes, e.g. a VRRP advert with its checksum) as one
   * datagram to {@code destination}, a multicast group or a unicast peer; the kernel adds the IP
   * header.
   *
   * @throws SyscallException when the kernel refuses, e.g. ENETUNREACH, or EAGAIN when the socket's
   *     send buffer is full (the datagram is dropped, never queued for later)
   */
  public void send(byte[] message, InetAddress destination) {
    descriptor.checkOpen();
    checkFamily(destination, "destination");
    if (message.length > MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException(
          message.length + " bytes do not fit in one datagram (at most " + MAX_MESSAGE_BYTES + ")");
    }
    sendBuffer.put(0, message);
    ByteBuffer address = SocketAddresses.ip(destination, options.interfaceIndex());
    long sent =
        Syscalls.sendTo(
            descriptor.fd(),
            sendBuffer,
            message.length,
            address,
            SocketAddresses.length(destination));
    if (sent < 0) {
      throw new SyscallException(
          "sendto("
              + message.length
              + " bytes to "
              + destination.getHostAddress()
              + ") for "
              + description,
          (int) -sent);
    }
  }

  /**
   * Receives one datagram, waiting up to {@code timeout} for it ({@link Duration#ZERO}: only what
   * is queued now). Its bytes are copied into {@code into} at its position, which advances; for
   * IPv4 they begin with the IPv4 header.
   *
   * @return the datagram's details, or empty when none came in time
   */
  public Optional<ReceivedDatagram> receive(ByteBuffer into, Duration timeout) {
    descriptor.checkOpen();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long received = receiver.receive(descriptor.fd());
      if (received >= 0) {
        return Optional.of(datagram(into, (int) received));
      }
      if (received != -Errno.EAGAIN.code()) {
        throw new SyscallException("recvmsg for " + description, (int) -received);
      }
      long remainingNanos = deadline - System.nanoTime();
      if (remainingNanos <= 0) {
        return Optional.empty();
      }
      int millis = (int) Math.min(Integer.MAX_VALUE, (remainingNanos + 999_999) / 1_000_000);
      awaitReadable(millis);
    }
  }

  private void awaitReadable(int millis) {
    pollfd.putInt(0, descriptor.fd()).putShort(POLLFD_EVENTS_OFFSET, LibC.POLLIN);
    int ready = Syscalls.poll(pollfd, 1, millis);
    if (ready < 0 && ready != -Errno.EINTR.code()) {
      throw new SyscallException("poll for " + description, -ready);
    }
  }

  private ReceivedDatagram datagram(ByteBuffer into, int length) {
    ByteBuffer data = receiver.data();
    int copied = Math.min(Math.min(length, MessageReceiver.DATA_BYTES), into.remaining());
    into.put(data.slice(0, copied));
    MessageReceiver.Ancillary ancillary = receiver.ancillary();
    int headerLength = 0;
    int hopLimit = ancillary.hopLimit();
    if (options.isIpv4() && length >= IPV4_MIN_HEADER_LENGTH) {
      headerLength = (data.get(0) & 0x0f) * 4;
      hopLimit = Byte.toUnsignedInt(data.get(IPV4_TTL_OFFSET));
    }
    return new ReceivedDatagram(
        length,
        copied < length,
        receiver.source(),
        ancillary.destination(),
        hopLimit,
        ancillary.interfaceIndex(),
        headerLength);
  }

  private void checkFamily(InetAddress address, String role) {
    if ((address instanceof Inet4Address) != options.isIpv4()) {
      throw new IllegalArgumentException(
          role
              + " "
              + address.getHostAddress()
              + " is not of family "
              + options.family()
              + " (socket "
              + description
              + ")");
    }
  }

  private void setInt(int level, int option, int value, String name) {
    int errno = trySetInt(level, option, value);
    if (errno != 0) {
      throw new SyscallException(
          "setsockopt(" + name + " " + value + ") for " + description, errno);
    }
  }

  private int trySetInt(int level, int option, int value) {
    ByteBuffer buffer = Syscalls.direct(4).putInt(0, value);
    return Syscalls.trySetOption(descriptor.fd(), level, option, buffer, 4);
  }

  private void setOption(int level, int option, ByteBuffer value, String name) {
    int errno = Syscalls.trySetOption(descriptor.fd(), level, option, value, value.capacity());
    if (errno != 0) {
      throw new SyscallException("setsockopt(" + name + ") for " + description, errno);
    }
  }

  public RawIpSocketOptions options() {
    return options;
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
    return "RawIpSocket[" + (options.isIpv4() ? "IPv4 " : "IPv6 ") + description + "]";
  }
}
