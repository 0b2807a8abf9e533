package io.kubelvs.agent.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import jnr.ffi.Pointer;

/**
 * The socket calls netlink needs, with errno read right after each call, EINTR retried, and any
 * other failure turned into a {@link NetlinkException} that names the call.
 *
 * <p>The calls {@code sys} builds on (raw IP and packet sockets, poll, eventfd) return the failure
 * instead, as a negative errno or an errno, so that {@code sys} can name the socket and the object
 * in its own exception.
 */
public final class Syscalls {
  private static final LibC LIBC = LibcBinding.libc();
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

  /**
   * Moves the calling thread, and only it, into the network namespace bound at {@code path} (such
   * as /var/run/netns/NAME, as {@code ip netns add} makes it); needs CAP_SYS_ADMIN. Threads it
   * starts afterwards inherit the namespace; sockets it opens stay there.
   */
  public static void enterNetworkNamespace(Path path) {
    int fd = LIBC.open(path.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
    if (fd < 0) {
      throw new NetlinkException("open(" + path + ")", errno(), null);
    }
    try {
      if (LIBC.setns(fd, LibC.CLONE_NEWNET) < 0) {
        throw new NetlinkException("setns(" + path + ", CLONE_NEWNET)", errno(), null);
      }
    } finally {
      LIBC.close(fd);
    }
  }

  /** socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol): a descriptor, or -errno. */
  public static int openNonBlockingSocket(int domain, int type, int protocol) {
    int fd = LIBC.socket(domain, type | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, protocol);
    return fd < 0 ? -errno() : fd;
  }

  /** setsockopt with {@code length} bytes of {@code value} (direct); 0, or the errno. */
  public static int trySetOption(int fd, int level, int option, ByteBuffer value, int length) {
    return LIBC.setsockopt(fd, level, option, value, length) < 0 ? errno() : 0;
  }

  /** bind to a socket address of {@code length} bytes; 0, or the errno. */
  public static int tryBind(int fd, ByteBuffer address, int length) {
    return LIBC.bind(fd, address, length) < 0 ? errno() : 0;
  }

  /**
   * sendto: {@code length} bytes from position 0 of {@code data} as one datagram to {@code
   * address}; the bytes sent, or -errno (EINTR is retried).
   */
  public static long sendTo(
      int fd, ByteBuffer data, int length, ByteBuffer address, int addressLength) {
    while (true) {
      long sent = LIBC.sendto(fd, data, length, 0, address, addressLength);
      if (sent >= 0) {
        return sent;
      }
      int errno = errno();
      if (errno != Errno.EINTR.code()) {
        return -errno;
      }
    }
  }

  /**
   * recvmsg with a struct msghdr the caller built (see {@link #addressOf}); the datagram's length,
   * or -errno (EINTR is retried; EAGAIN: nothing queued on a non-blocking socket).
   */
  public static long receiveMessage(int fd, ByteBuffer messageHeader, int flags) {
    while (true) {
      long received = LIBC.recvmsg(fd, messageHeader, flags);
      if (received >= 0) {
        return received;
      }
      int errno = errno();
      if (errno != Errno.EINTR.code()) {
        return -errno;
      }
    }
  }

  /**
   * poll on {@code count} struct pollfd at position 0 of {@code pollfds} (direct): how many are
   * ready (0: the timeout passed), or -errno, including -EINTR, so the caller keeps its deadline.
   */
  public static int poll(ByteBuffer pollfds, int count, int timeoutMillis) {
    int ready = LIBC.poll(pollfds, count, timeoutMillis);
    return ready < 0 ? -errno() : ready;
  }

  /** eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC): a descriptor, or -errno. */
  public static int openEventFd() {
    int fd = LIBC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
    return fd < 0 ? -errno() : fd;
  }

  /** read of up to {@code length} bytes into position 0 of {@code buffer}; bytes, or -errno. */
  public static long read(int fd, ByteBuffer buffer, int length) {
    long read = LIBC.read(fd, buffer, length);
    return read < 0 ? -errno() : read;
  }

  /** write of {@code length} bytes from position 0 of {@code buffer}; bytes, or -errno. */
  public static long write(int fd, ByteBuffer buffer, int length) {
    long written = LIBC.write(fd, buffer, length);
    return written < 0 ? -errno() : written;
  }

  /** close; 0, or the errno (the descriptor is released either way, so never retry). */
  public static int tryClose(int fd) {
    return LIBC.close(fd) < 0 ? errno() : 0;
  }

  /** The native address of a direct buffer's first byte, to put into a struct such as msghdr. */
  public static long addressOf(ByteBuffer directBuffer) {
    if (!directBuffer.isDirect()) {
      throw new IllegalArgumentException("only a direct buffer has a stable native address");
    }
    return Pointer.wrap(RUNTIME, directBuffer).address();
  }

  /** Bytes in a pointer (and in size_t): 8 on the LP64 platforms LibC's layouts assume. */
  public static int addressSize() {
    return RUNTIME.addressSize();
  }

  /** A zeroed direct buffer in host byte order: what the kernel writes into must be direct. */
  public static ByteBuffer direct(int capacity) {
    return ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
  }
}
