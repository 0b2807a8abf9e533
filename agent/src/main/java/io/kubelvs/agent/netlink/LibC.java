package io.kubelvs.agent.netlink;

import java.nio.ByteBuffer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls kubelvs makes, bound through jnr-ffi. Nothing outside {@code netlink} and {@code
 * sys} may call them. Constants and struct layouts are those of Linux on LP64 (x86-64, arm64).
 *
 * <p>Every function saves errno ({@link SaveError}); read it with {@link #errno()} right after the
 * call, before any other native call on the same thread can overwrite it; {@link Syscalls} does
 * that and turns failures into exceptions. Buffers the kernel writes into must be direct: with heap
 * buffers jnr copies back bytes the call did not write as garbage. jnr passes a direct buffer's
 * address plus its position and never moves the position.
 */
public interface LibC {

  // Address and protocol families, socket types and flags (bits/socket.h, x86-64 and arm64).
  int AF_UNSPEC = 0;
  int AF_INET = 2;
  int AF_INET6 = 10;
  int AF_NETLINK = 16;
  int AF_PACKET = 17;
  int SOCK_RAW = 3;
  int SOCK_NONBLOCK = 0x800;
  int SOCK_CLOEXEC = 0x80000;

  // Socket options at level SOL_SOCKET (asm-generic/socket.h).
  int SOL_SOCKET = 1;
  int SO_SNDBUF = 7;
  int SO_RCVBUF = 8;
  int SO_SNDBUFFORCE = 32;
  int SO_RCVBUFFORCE = 33;
  int SO_BINDTODEVICE = 25;

  // Socket option levels that are protocol numbers (netinet/in.h).
  int IPPROTO_IP = 0;
  int IPPROTO_IPV6 = 41;

  // Options at level IPPROTO_IP (linux/in.h).
  int IP_TOS = 1;
  int IP_TTL = 2;
  int IP_PKTINFO = 8;
  int IP_MTU_DISCOVER = 10;
  int IP_PMTUDISC_DONT = 0;
  int IP_MULTICAST_IF = 32;
  int IP_MULTICAST_TTL = 33;
  int IP_MULTICAST_LOOP = 34;
  int IP_ADD_MEMBERSHIP = 35;
  int IP_DROP_MEMBERSHIP = 36;
  int IP_MULTICAST_ALL = 49;

  // Options at level IPPROTO_IPV6 (linux/in6.h); IPV6_ADD_MEMBERSHIP is RFC 3493's IPV6_JOIN_GROUP.
  int IPV6_UNICAST_HOPS = 16;
  int IPV6_MULTICAST_IF = 17;
  int IPV6_MULTICAST_HOPS = 18;
  int IPV6_MULTICAST_LOOP = 19;
  int IPV6_ADD_MEMBERSHIP = 20;
  int IPV6_DROP_MEMBERSHIP = 21;
  int IPV6_MULTICAST_ALL = 29;
  int IPV6_RECVPKTINFO = 49;
  int IPV6_PKTINFO = 50;
  int IPV6_RECVHOPLIMIT = 51;
  int IPV6_HOPLIMIT = 52;
  int IPV6_TCLASS = 67;

  // send/recv flags (bits/socket.h).
  int MSG_PEEK = 0x02;
  int MSG_CTRUNC = 0x08;
  int MSG_TRUNC = 0x20;
  int MSG_DONTWAIT = 0x40;

  // poll events (asm-generic/poll.h).
  short POLLIN = 0x1;
  short POLLERR = 0x8;
  short POLLHUP = 0x10;
  short POLLNVAL = 0x20;

  // open(2) flags (asm-generic/fcntl.h) and eventfd(2) flags (sys/eventfd.h).
  int O_RDONLY = 0;
  int O_CLOEXEC = 0x80000;
  int EFD_NONBLOCK = 0x800;
  int EFD_CLOEXEC = 0x80000;

  // unshare/setns namespace type (linux/sched.h).
  int CLONE_NEWNET = 0x40000000;

  @SaveError
  int socket(int domain, int type, int protocol);

  @SaveError
  int bind(int fd, @In ByteBuffer address, int addressLength);

  @SaveError
  @ssize_t
  long sendto(
      int fd,
      @In ByteBuffer buffer,
      @size_t long length,
      int flags,
      @In ByteBuffer address,
      int addressLength);

  @SaveError
  @ssize_t
  long recvfrom(
      int fd,
      @Out ByteBuffer buffer,
      @size_t long length,
      int flags,
      @Out ByteBuffer address,
      @In @Out ByteBuffer addressLength);

  @SaveError
  int setsockopt(int fd, int level, int option, @In ByteBuffer value, int valueLength);

  @SaveError
  int getsockopt(int fd, int level, int option, @Out ByteBuffer value, @In @Out ByteBuffer length);

  /** {@code fds} holds {@code count} struct pollfd (int fd, short events, short revents). */
  @SaveError
  int poll(@In @Out ByteBuffer fds, @size_t long count, int timeoutMillis);

  @SaveError
  int close(int fd);

  /** Moves the calling thread (only) into a new namespace; tests use it for a private netns. */
  @SaveError
  int unshare(int flags);

  /**
   * {@code message} is a struct msghdr whose pointers (name, iovec, control) hold addresses of
   * direct buffers the caller keeps reachable; the kernel writes through them.
   */
  @SaveError
  @ssize_t
  long recvmsg(int fd, @In @Out ByteBuffer message, int flags);

  /** Opens a file, e.g. a network namespace under /var/run/netns, for {@link #setns}. */
  @SaveError
  int open(@In String path, int flags);

  /** Moves the calling thread (only) into the namespace {@code fd} refers to. */
  @SaveError
  int setns(int fd, int namespaceType);

  /** A counter descriptor that poll reports readable while it is non-zero: a wake-up signal. */
  @SaveError
  int eventfd(int initialValue, int flags);

  @SaveError
  @ssize_t
  long read(int fd, @Out ByteBuffer buffer, @size_t long length);

  @SaveError
  @ssize_t
  long write(int fd, @In ByteBuffer buffer, @size_t long length);

  /**
   * Sends {@code signal} to a process, or with a negative {@code pid} to every process of the group
   * {@code -pid}: MISC_CHECK kills a timed-out command's whole process group, which Java's Process
   * API cannot (it signals one process only).
   */
  @SaveError
  int kill(int pid, int signal);
}
