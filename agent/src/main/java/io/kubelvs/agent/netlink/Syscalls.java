package io.kubelvs.agent.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.LibraryLoader;

/**
 * The socket calls netlink needs, with errno read right after each call, EINTR retried, and any
 * other failure turned into a {@link NetlinkException} that names the call.
 */
public final class Syscalls {
  private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
  private static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIBC);

  // struct sockaddr_nl (linux/netlink.h): family u16, pad u16, pid u32, groups u32.
  private static final int SOCKADDR_NL_LENGTH = 12;
  private static final int SOCKADDR_NL_PID_OFFSET = 4;
  private static final int SOCKADDR_NL_GROUPS_OFFSET = 8;
  // struct pollfd (poll.h): fd s32, events s16, revents s16.
  private static final int POLLFD_LENGTH = 8;
  private static final int POLLFD_EVENTS_OFFSET = 4;

  private static final ThreadLocal<ByteBuffer> POLL_FD =
      ThreadLocal.withInitial(() -> direct(POLLFD_LENGTH));

  private Syscalls() {}

  private static int errno() {
    return RUNTIME.getLastError();
  }

  /** socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol). */
  public static int openNetlink(int protocol) {
    int fd = LIBC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, protocol);
    if (fd < 0) {
      throw new NetlinkException(
          "socket(AF_NETLINK, SOCK_RAW, protocol " + protocol + ")", errno(), null);
    }
    return fd;
  }

  /** Binds to {@code portId} (0: the kernel assigns one) and multicast {@code groups}. */
  public static void bindNetlink(int fd, int portId, int groups) {
    ByteBuffer address = direct(SOCKADDR_NL_LENGTH);
    address.putShort(0, (short) LibC.AF_NETLINK);
    address.putInt(SOCKADDR_NL_PID_OFFSET, portId);
    address.putInt(SOCKADDR_NL_GROUPS_OFFSET, groups);
    if (LIBC.bind(fd, address, SOCKADDR_NL_LENGTH) < 0) {
      throw new NetlinkException("bind(netlink socket, port id " + portId + ")", errno(), null);
    }
  }

  /**
   * setsockopt with an int value; returns the errno when the option is refused (0 on success), so
   * the caller can fall back, e.g. from SO_RCVBUFFORCE to SO_RCVBUF without CAP_NET_ADMIN.
   */
  public static int trySetIntOption(int fd, int level, int option, int value) {
    ByteBuffer optval = direct(4).putInt(0, value);
    return LIBC.setsockopt(fd, level, option, optval, 4) < 0 ? errno() : 0;
  }

  public static int getIntOption(int fd, int level, int option, String name) {
    ByteBuffer value = direct(4);
    ByteBuffer length = direct(4).putInt(0, 4);
    if (LIBC.getsockopt(fd, level, option, value, length) < 0) {
      throw new NetlinkException("getsockopt(" + name + ")", errno(), null);
    }
    return value.getInt(0);
  }

  /** Sends {@code length} bytes from position 0 of {@code buffer} as one datagram. */
  public static void send(int fd, ByteBuffer buffer, int length, String operation) {
    while (true) {
      long sent = LIBC.sendto(fd, buffer, length, 0, null, 0);
      if (sent >= 0) {
        return;
      }
      int errno = errno();
      if (errno != Errno.EINTR.code()) {
        throw new NetlinkException(operation + " (sending " + length + " bytes)", errno, null);
      }
    }
  }

  /**
   * Receives one datagram into position 0 of {@code buffer} without blocking (MSG_DONTWAIT) and
   * with MSG_TRUNC, so the result is the datagram's real length even when it did not fit. Returns
   * that length, or a negative errno (EAGAIN: nothing queued; ENOBUFS: the kernel dropped some).
   */
  public static long receive(int fd, ByteBuffer buffer) {
    while (true) {
      long received =
          LIBC.recvfrom(
              fd, buffer, buffer.capacity(), LibC.MSG_DONTWAIT | LibC.MSG_TRUNC, null, null);
      if (received >= 0) {
        return received;
      }
      int errno = errno();
      if (errno != Errno.EINTR.code()) {
        return -errno;
      }
    }
  }

  /** Waits until {@code fd} is readable; false when {@code timeoutMillis} passed first. */
  public static boolean awaitReadable(int fd, int timeoutMillis, String operation) {
    ByteBuffer pollfd = POLL_FD.get();
    pollfd.putInt(0, fd).putShort(POLLFD_EVENTS_OFFSET, LibC.POLLIN);
    while (true) {
      int ready = LIBC.poll(pollfd, 1, timeoutMillis);
      if (ready >= 0) {
        return ready > 0;
      }
      int errno = errno();
      if (errno != Errno.EINTR.code()) {
        throw new NetlinkException(operation + " (poll)", errno, null);
      }
    }
  }

  public static void close(int fd) {
    // Linux releases the descriptor even when close reports an error, so never retry it.
    if (LIBC.close(fd) < 0) {
      throw new NetlinkException("close(netlink socket " + fd + ")", errno(), null);
    }
  }

  /**
   * Moves the calling thread, and only it, into a new, empty network namespace (needs
   * CAP_SYS_ADMIN). Sockets it opens afterwards live there; the namespace disappears with the last
   * of them.
   */
  public static void unshareNetworkNamespace() {
    if (LIBC.unshare(LibC.CLONE_NEWNET) < 0) {
      throw new NetlinkException("unshare(CLONE_NEWNET)", errno(), null);
    }
  }

  /** A zeroed direct buffer in host byte order: what the kernel writes into must be direct. */
  static ByteBuffer direct(int capacity) {
    return ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
  }
}
