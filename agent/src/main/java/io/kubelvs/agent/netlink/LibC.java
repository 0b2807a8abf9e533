package io.kubelvs.agent.netlink;

import java.nio.ByteBuffer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls kubelvs makes, bound through jnr-ffi. Nothing outside {@code netlink} (and the
 * future {@code sys}) may call them.
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
  int SOCK_RAW = 3;
  int SOCK_CLOEXEC = 0x80000;

  // Socket options at level SOL_SOCKET (asm-generic/socket.h).
  int SOL_SOCKET = 1;
  int SO_SNDBUF = 7;
  int SO_RCVBUF = 8;
  int SO_SNDBUFFORCE = 32;
  int SO_RCVBUFFORCE = 33;

  // send/recv flags (bits/socket.h).
  int MSG_PEEK = 0x02;
  int MSG_TRUNC = 0x20;
  int MSG_DONTWAIT = 0x40;

  // poll events (asm-generic/poll.h).
  short POLLIN = 0x1;

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
}
