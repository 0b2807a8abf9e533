package io.kubelvs.agent.sys;

import io.kubelvs.agent.netlink.Errno;
import io.kubelvs.agent.netlink.LibC;
import io.kubelvs.agent.netlink.Syscalls;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Waits on several sockets at once with poll(2), for an event loop that owns them: VRRP's raw
 * sockets and a link monitor, say. Another thread can cut a wait short with {@link #wakeUp()} (an
 * eventfd that the poller also watches), e.g. to hand the loop new work or stop it.
 *
 * <p>{@link #awaitReadable} belongs to one thread; {@link #wakeUp()} may be called from any.
 */
public final class Poller implements AutoCloseable {
  // struct pollfd (poll.h): fd s32, events s16, revents s16.
  private static final int POLLFD_LENGTH = 8;
  private static final int EVENTS_OFFSET = 4;
  private static final int REVENTS_OFFSET = 6;
  private static final int READY = LibC.POLLIN | LibC.POLLERR | LibC.POLLHUP | LibC.POLLNVAL;
  private static final int EVENTFD_COUNTER_BYTES = 8;

  private final int wakeUpFd;
  private final ByteBuffer drain = Syscalls.direct(EVENTFD_COUNTER_BYTES);
  private final ByteBuffer one = Syscalls.direct(EVENTFD_COUNTER_BYTES).putLong(0, 1);
  private ByteBuffer pollfds = Syscalls.direct(POLLFD_LENGTH * 8);
  private volatile boolean closed;

  private Poller(int wakeUpFd) {
    this.wakeUpFd = wakeUpFd;
  }

  public static Poller open() {
    int fd = Syscalls.openEventFd();
    if (fd < 0) {
      throw new SyscallException("eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC) for a poller", -fd);
    }
    return new Poller(fd);
  }

  /**
   * Waits until at least one of {@code sources} is readable (or has an error or hang-up to report,
   * which its next read returns), {@code timeout} passes, or {@link #wakeUp()} is called.
   *
   * @return the sources that are ready, in the order given; empty after a timeout or a wake-up
   * @throws SyscallException EBADF naming the source when one of them is not an open descriptor
   */
  public <T extends Pollable> List<T> awaitReadable(List<T> sources, Duration timeout) {
    checkOpen();
    int count = sources.size() + 1;
    prepare(sources, count);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long remainingNanos = Math.max(0, deadline - System.nanoTime());
      int millis = (int) Math.min(Integer.MAX_VALUE, (remainingNanos + 999_999) / 1_000_000);
      int ready = Syscalls.poll(pollfds, count, millis);
      if (ready > 0) {
        return collect(sources);
      }
      if (ready < 0 && ready != -Errno.EINTR.code()) {
        throw new SyscallException("poll(" + sources.size() + " sockets and a wake-up)", -ready);
      }
      if (deadline - System.nanoTime() <= 0) {
        return List.of();
      }
    }
  }

  /**
   * Makes the current or next {@link #awaitReadable} return at once. Thread-safe; does nothing once
   * the poller is closed (the lock keeps it from writing to a descriptor number reused since).
   */
  public synchronized void wakeUp() {
    if (closed) {
      return;
    }
    long written = Syscalls.write(wakeUpFd, one, EVENTFD_COUNTER_BYTES);
    // EAGAIN: the counter is at its maximum, so a wake-up is pending anyway.
    if (written < 0 && written != -Errno.EAGAIN.code()) {
      throw new SyscallException("write(poller wake-up eventfd)", (int) -written);
    }
  }

  private void prepare(List<? extends Pollable> sources, int count) {
    if (pollfds.capacity() < count * POLLFD_LENGTH) {
      pollfds = Syscalls.direct(count * POLLFD_LENGTH * 2);
    }
    for (int i = 0; i < sources.size(); i++) {
      put(i, sources.get(i).fileDescriptor());
    }
    put(sources.size(), wakeUpFd);
  }

  private void put(int slot, int fd) {
    int offset = slot * POLLFD_LENGTH;
    pollfds.putInt(offset, fd);
    pollfds.putShort(offset + EVENTS_OFFSET, LibC.POLLIN);
    pollfds.putShort(offset + REVENTS_OFFSET, (short) 0);
  }

  private <T extends Pollable> List<T> collect(List<T> sources) {
    List<T> ready = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      int revents = revents(i);
      if ((revents & LibC.POLLNVAL) != 0) {
        throw new SyscallException(
            "poll(descriptor " + sources.get(i).fileDescriptor() + " of " + sources.get(i) + ")",
            Errno.EBADF.code(),
            "it is not open: closed while an event loop still waits on it");
      }
      if ((revents & READY) != 0) {
        ready.add(sources.get(i));
      }
    }
    if ((revents(sources.size()) & READY) != 0) {
      // Reading an eventfd returns its counter and resets it: one read consumes every wake-up.
      Syscalls.read(wakeUpFd, drain, EVENTFD_COUNTER_BYTES);
    }
    return ready;
  }

  private int revents(int slot) {
    return pollfds.getShort(slot * POLLFD_LENGTH + REVENTS_OFFSET);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("poller is closed");
    }
  }

  /** Closes the wake-up descriptor; the thread that waits must have stopped waiting. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      int errno = Syscalls.tryClose(wakeUpFd);
      if (errno != 0) {
        throw new SyscallException("close(poller wake-up eventfd " + wakeUpFd + ")", errno);
      }
    }
  }
}
