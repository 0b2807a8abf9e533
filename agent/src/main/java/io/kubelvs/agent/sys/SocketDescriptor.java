package io.kubelvs.agent.sys;

import io.kubelvs.agent.netlink.Errno;
import io.kubelvs.agent.netlink.LibC;
import io.kubelvs.agent.netlink.Syscalls;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The file descriptor of one of our native sockets, closed at most once, so that every socket class
 * fails the same way after close: IllegalStateException rather than a syscall on a descriptor
 * number the kernel may have handed out again.
 *
 * <p>{@code closed} is volatile so that a thread that did not close the socket sees the close. This
 * class takes no lock: a socket whose close must exclude a concurrent send synchronizes itself.
 */
final class SocketDescriptor {
  private final int fd;
  private final String description;
  private volatile boolean closed;

  /**
   * @param description the socket as the messages name it, e.g. {@code ICMP socket}: "ICMP socket
   *     is closed", "close(ICMP socket): EBADF ..."
   */
  SocketDescriptor(int fd, String description) {
    this.fd = fd;
    this.description = description;
  }

  /**
   * Opens a non-blocking SOCK_RAW socket, wraps it and configures the wrapper; the descriptor is
   * closed when the configuration fails, so a half set-up socket never leaks.
   *
   * @param call the socket(2) call as the error message names it
   * @throws SyscallException when socket(2) fails, with a CAP_NET_RAW hint for EPERM (what a
   *     container without the capability gets)
   */
  static <T> T openRaw(
      int domain, int protocol, String call, IntFunction<T> wrap, Consumer<? super T> configure) {
    int fd = Syscalls.openNonBlockingSocket(domain, LibC.SOCK_RAW, protocol);
    if (fd < 0) {
      String kind = domain == LibC.AF_PACKET ? "packet" : "raw";
      throw new SyscallException(
          call, -fd, -fd == Errno.EPERM.code() ? kind + " sockets need CAP_NET_RAW" : null);
    }
    return configureOrClose(fd, wrap, configure);
  }

  /**
   * Wraps the open descriptor {@code fd} and configures the wrapper, closing the descriptor (its
   * own close errno dropped: the configuration's failure is the one to report) when that throws.
   */
  static <T> T configureOrClose(int fd, IntFunction<T> wrap, Consumer<? super T> configure) {
    T socket = wrap.apply(fd);
    try {
      configure.accept(socket);
      return socket;
    } catch (RuntimeException e) {
      Syscalls.tryClose(fd);
      throw e;
    }
  }

  /**
   * The descriptor without the open check, for calls right after {@link #checkOpen()} and for
   * setting up and describing the socket.
   */
  int fd() {
    return fd;
  }

  /** The descriptor for poll(2): valid until {@link #close()}. */
  int fileDescriptor() {
    checkOpen();
    return fd;
  }

  void checkOpen() {
    if (closed) {
      throw new IllegalStateException(description + " is closed");
    }
  }

  /**
   * Closes the descriptor; later calls do nothing, since the number may already belong to another
   * file.
   *
   * @throws SyscallException when close(2) reports an error (the descriptor is released anyway)
   */
  void close() {
    if (!closed) {
      closed = true;
      int errno = Syscalls.tryClose(fd);
      if (errno != 0) {
        throw new SyscallException("close(" + description + ")", errno);
      }
    }
  }
}
