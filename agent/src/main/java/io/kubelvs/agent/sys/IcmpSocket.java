package io.kubelvs.agent.sys;

import io.kubelvs.agent.netlink.Errno;
import io.kubelvs.agent.netlink.LibC;
import io.kubelvs.agent.netlink.Syscalls;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A raw ICMP (IPv4) or ICMPv6 socket that sends echo requests and receives only echo replies: the
 * kernel's ICMP filter drops every other type before it is queued, so ICMP traffic of the host does
 * not reach the socket. One socket per family serves every PING_CHECK; replies are told apart by
 * echo identifier and sequence number.
 *
 * <p>Raw rather than the unprivileged "ping socket" (SOCK_DGRAM, IPPROTO_ICMP) that keepalived
 * uses: a ping socket needs the agent's group inside net.ipv4.ping_group_range, which is "1 0"
 * (nobody) by default and in every fresh network namespace. keepalived rewrites that node-wide
 * sysctl (check_ping.c, set_ping_group_range); the agent holds CAP_NET_RAW anyway for VRRP and
 * changes nothing on the node. The cost is computing the ICMPv4 checksum ourselves; for ICMPv6 the
 * kernel computes it on every raw socket (RFC 3542 §3.1).
 *
 * <p>Non-blocking; wait with a {@link Poller}. {@link #send} may be called from any thread, {@link
 * #receive} from one thread at a time. Close after both have stopped.
 */
public final class IcmpSocket implements Pollable, AutoCloseable {
  static final int IPPROTO_ICMP = 1;
  static final int IPPROTO_ICMPV6 = 58;
  // linux/icmp.h: ICMP_FILTER at level SOL_RAW, a u32 whose set bits drop those types (0-31).
  static final int SOL_RAW = 255;
  static final int ICMP_FILTER = 1;
  // linux/icmpv6.h: ICMPV6_FILTER at level IPPROTO_ICMPV6, struct icmp6_filter: u32 data[8], a set
  // bit blocks that type (ICMPV6_FILTER_WILLBLOCK).
  static final int ICMPV6_FILTER = 1;
  static final int ICMPV6_FILTER_BYTES = 32;
  // RFC 792 and RFC 4443 §4.2: the echo reply types.
  static final int ICMP_ECHO_REPLY = 0;
  static final int ICMPV6_ECHO_REPLY = 129;
  private static final int IPV4_MIN_HEADER_LENGTH = 20;

  /** An echo request of keepalived's size (8-byte header, 128 bytes of data) fits many times. */
  private static final int MAX_MESSAGE_BYTES = 1024;

  private final SocketDescriptor descriptor;
  private final StandardProtocolFamily family;
  private final String description;
  private final ByteBuffer sendBuffer = Syscalls.direct(MAX_MESSAGE_BYTES);
  private final MessageReceiver receiver = new MessageReceiver();

  private IcmpSocket(int fd, StandardProtocolFamily family) {
    this.family = family;
    this.description = family == StandardProtocolFamily.INET ? "ICMP socket" : "ICMPv6 socket";
    this.descriptor = new SocketDescriptor(fd, description);
  }

  /**
   * Opens the socket in the calling thread's network namespace (needs CAP_NET_RAW).
   *
   * @param family INET for ICMP, INET6 for ICMPv6
   */
  public static IcmpSocket open(StandardProtocolFamily family) {
    boolean ipv4 = family == StandardProtocolFamily.INET;
    if (!ipv4 && family != StandardProtocolFamily.INET6) {
      throw new IllegalArgumentException("an ICMP socket is INET or INET6, not " + family);
    }
    return SocketDescriptor.openRaw(
        ipv4 ? LibC.AF_INET : LibC.AF_INET6,
        ipv4 ? IPPROTO_ICMP : IPPROTO_ICMPV6,
        ipv4
            ? "socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)"
            : "socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6)",
        fd -> new IcmpSocket(fd, family),
        IcmpSocket::passOnlyEchoReplies);
  }

  private void passOnlyEchoReplies() {
    int fd = descriptor.fd();
    int errno;
    if (family == StandardProtocolFamily.INET) {
      ByteBuffer filter = Syscalls.direct(4).putInt(0, ~(1 << ICMP_ECHO_REPLY));
      errno = Syscalls.trySetOption(fd, SOL_RAW, ICMP_FILTER, filter, 4);
    } else {
      ByteBuffer filter = Syscalls.direct(ICMPV6_FILTER_BYTES);
      for (int word = 0; word < ICMPV6_FILTER_BYTES / 4; word++) {
        filter.putInt(word * 4, -1);
      }
      int word = ICMPV6_ECHO_REPLY >> 5;
      filter.putInt(word * 4, ~(1 << (ICMPV6_ECHO_REPLY & 31)));
      errno = Syscalls.trySetOption(fd, IPPROTO_ICMPV6, ICMPV6_FILTER, filter, ICMPV6_FILTER_BYTES);
    }
    if (errno != 0) {
      throw new SyscallException("setsockopt(ICMP filter: echo replies only) for " + this, errno);
    }
  }

  /**
   * Sends one ICMP message (header first; for ICMPv4 with its checksum, for ICMPv6 the kernel fills
   * it in) to {@code destination}. A link-local IPv6 destination must carry its scope (interface).
   *
   * @throws SyscallException when the kernel refuses, e.g. ENETUNREACH, or EAGAIN when the send
   *     buffer is full (the message is dropped, never queued for later)
   */
  public synchronized void send(byte[] message, InetAddress destination) {
    descriptor.checkOpen();
    if ((destination instanceof Inet4Address) != (family == StandardProtocolFamily.INET)) {
      throw new IllegalArgumentException(
          destination.getHostAddress() + " cannot be reached through an " + description);
    }
    if (message.length > MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException(
          message.length + "-byte ICMP message, at most " + MAX_MESSAGE_BYTES + " are sent");
    }
    int scope = destination instanceof Inet6Address v6 ? v6.getScopeId() : 0;
    ByteBuffer address = SocketAddresses.ip(destination, scope);
    sendBuffer.put(0, message);
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
              + "-byte message to "
              + destination.getHostAddress()
              + ") on "
              + description,
          (int) -sent);
    }
  }

  /**
   * Takes the next queued message without waiting: the ICMP message alone (for IPv4 the IP header
   * is cut off) and who sent it. Datagrams too short to hold an IPv4 header are skipped.
   *
   * @return empty when nothing is queued
   * @throws SyscallException when the kernel reports an error other than EAGAIN
   */
  public Optional<Received> receive() {
    descriptor.checkOpen();
    while (true) {
      long length = receiver.receive(descriptor.fd());
      if (length == -Errno.EAGAIN.code()) {
        return Optional.empty();
      }
      if (length < 0) {
        throw new SyscallException("recvmsg on " + description, (int) -length);
      }
      int copied = (int) Math.min(length, MessageReceiver.DATA_BYTES);
      ByteBuffer data = receiver.data();
      int headerLength = 0;
      if (family == StandardProtocolFamily.INET) {
        // The IHL (RFC 791) counts 32-bit words; a raw IPv4 socket gets the header too.
        headerLength = copied >= IPV4_MIN_HEADER_LENGTH ? (data.get(0) & 0x0f) * 4 : 0;
        if (headerLength < IPV4_MIN_HEADER_LENGTH || headerLength > copied) {
          continue;
        }
      }
      return Optional.of(
          new Received(
              receiver.source(), SocketAddresses.slice(data, headerLength, copied - headerLength)));
    }
  }

  /**
   * One ICMP message as it arrived.
   *
   * @param source the sender, without a scope (compare addresses by their bytes)
   * @param message the ICMP header and data
   */
  public record Received(InetAddress source, byte[] message) {}

  public StandardProtocolFamily family() {
    return family;
  }

  @Override
  public int fileDescriptor() {
    return descriptor.fileDescriptor();
  }

  /** Holds the lock of {@link #send}: a send in progress ends before the descriptor goes. */
  @Override
  public synchronized void close() {
    descriptor.close();
  }

  @Override
  public String toString() {
    return "IcmpSocket[" + description + ", fd " + descriptor.fd() + "]";
  }
}
