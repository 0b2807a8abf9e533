package io.kubelvs.agent.check;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelException;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One TCP connection of one check attempt, driven straight by the check event loop's epoll: a bare
 * non-blocking socket registered as an {@link EpollIoHandle}, without a Netty channel and pipeline.
 * HTTP_GET and TCP_CHECK run this way on the epoll loops; at 10,000 checks a second the channel's
 * machinery (its pipeline, promises, the address look-ups and option calls it makes for every
 * connection, and an epoll_ctl per change of interest) cost as much CPU as the check itself.
 *
 * <p>Per attempt: socket(2), connect(2), one epoll_ctl ADD for reading, writing and the peer's
 * shutdown at once (edge-triggered), the subclass's write and reads, an epoll_ctl DEL and close(2);
 * one timer on the loop bounds every wait. Read bytes land in one direct buffer per loop thread, so
 * an attempt allocates no I/O buffer of its own.
 *
 * <p>The socket is opened, bound and connected on the calling thread, so in its network namespace
 * (a lab host's in a test), as Netty's bootstrap does; everything after runs on the loop.
 */
abstract class EpollTcpAttempt implements EpollIoHandle, Runnable {
  /** Bits of struct epoll_event.events (sys/epoll.h), as EpollIoOps carries them. */
  private static final int EPOLLIN = EpollIoOps.EPOLLIN.value();

  private static final int EPOLLOUT = EpollIoOps.EPOLLOUT.value();
  private static final int EPOLLERR = EpollIoOps.EPOLLERR.value();
  private static final int EPOLLHUP = 0x010;
  private static final int EPOLLRDHUP = EpollIoOps.EPOLLRDHUP.value();

  private static final EpollIoOps INTEREST =
      EpollIoOps.EPOLLIN
          .with(EpollIoOps.EPOLLOUT)
          .with(EpollIoOps.EPOLLRDHUP)
          .with(EpollIoOps.EPOLLET);

  /** A check's response fits; a longer one is read in several turns. */
  private static final int READ_BUFFER_BYTES = 16 * 1024;

  private static final FastThreadLocal<ByteBuf> READ_BUFFER =
      new FastThreadLocal<>() {
        @Override
        protected ByteBuf initialValue() {
          return Unpooled.directBuffer(READ_BUFFER_BYTES, READ_BUFFER_BYTES);
        }
      };

  protected final ProbeTarget target;
  private final IoEventLoop loop;
  private final CompletableFuture<ProbeResult> result = new CompletableFuture<>();
  private final long timeoutNanos;
  private Socket socket;
  private IoRegistration registration;
  private ScheduledFuture<?> timer;
  private long connectDeadlineNanos;
  private ByteBuffer unwritten;
  private boolean unwrittenInScratch;
  private boolean connected;
  private boolean peerShutDown;
  private boolean done;

  EpollTcpAttempt(IoEventLoop loop, ProbeTarget target) {
    this.loop = loop;
    this.target = target;
    this.timeoutNanos = Math.max(1, target.connectTimeout().toNanos());
  }

  /** The connection is up: start the conversation (write, or finish at once). */
  abstract void onConnected(long nowNanos);

  /** Bytes arrived, readable in {@code in} until this returns. */
  abstract void onReceived(ByteBuf in, long nowNanos);

  /** The server sent its FIN and everything before it has been read. */
  abstract void onPeerClosed();

  /** Reading or writing failed after the connection was up (a reset, say). */
  abstract void onIoFailure(IOException cause);

  /** When the connected attempt times out if nothing more happens. */
  abstract long deadlineNanos();

  /** The outcome at {@code nowNanos} if the connected attempt has timed out, else null. */
  abstract ProbeResult timedOut(long nowNanos);

  /** Opens, binds and connects the socket here, then hands it to the loop. */
  final CompletableFuture<ProbeResult> start() {
    try {
      socket = new CheckSocket(target.address().getAddress() instanceof Inet6Address);
      if (target.bind().isPresent()) {
        if (target.bind().get().getPort() != 0) {
          // As keepalived: a fixed source port reuses its 4-tuple; the last TIME_WAIT must not
          // refuse the bind.
          socket.setReuseAddress(true);
        }
        socket.bind(target.bind().get());
      }
      connectDeadlineNanos = System.nanoTime() + timeoutNanos;
      // True when connected at once; either way the loop learns it from EPOLLOUT.
      socket.connect(target.address());
    } catch (IOException | ChannelException e) {
      closeSocket(false);
      result.complete(ProbeResult.down(TcpFailureReasons.connectFailure(causeOf(e), target)));
      return result;
    }
    Future<IoRegistration> registered;
    try {
      registered = loop.register(this);
    } catch (RuntimeException e) {
      // The loop is shutting down.
      closeSocket(false);
      result.complete(ProbeResult.down(TcpFailureReasons.LOOPS_CLOSED));
      return result;
    }
    if (registered.isDone()) {
      onRegistered(registered);
    } else {
      registered.addListener(this::onRegistered);
    }
    return result;
  }

  private void onRegistered(Future<? super IoRegistration> registered) {
    if (!registered.isSuccess()) {
      finish(ProbeResult.down(TcpFailureReasons.LOOPS_CLOSED), false);
      return;
    }
    registration = (IoRegistration) registered.getNow();
    try {
      registration.submit(INTEREST);
    } catch (RuntimeException e) {
      finish(ProbeResult.down("cannot watch the socket: " + e.getMessage()), false);
      return;
    }
    timer = loop.schedule(this, connectDeadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
  }

  @Override
  public final FileDescriptor fd() {
    return socket;
  }

  @Override
  public final void handle(IoRegistration registration, IoEvent event) {
    if (done) {
      return;
    }
    int events = ((EpollIoEvent) event).ops().value();
    if ((events & EPOLLRDHUP) != 0) {
      peerShutDown = true;
    }
    long now = System.nanoTime();
    if (!connected) {
      if ((events & (EPOLLERR | EPOLLHUP)) != 0) {
        connectFailed();
        return;
      }
      if ((events & EPOLLOUT) == 0) {
        return;
      }
      connected = true;
      onConnected(now);
    } else if ((events & EPOLLOUT) != 0 && unwritten != null) {
      flush();
    }
    if (!done && (events & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP)) != 0) {
      readAvailable(now);
    }
  }

  private void connectFailed() {
    int errno;
    try {
      errno = socket.getSoError();
    } catch (IOException e) {
      finish(ProbeResult.down(TcpFailureReasons.connectFailure(e, target)), false);
      return;
    }
    String reason =
        errno == 0
            ? "connection closed during the connect"
            : TcpFailureReasons.connectFailure(Errors.newIOException("connect", -errno), target);
    finish(ProbeResult.down(reason), false);
  }

  /**
   * Writes {@code bytes} (a request: it normally fits the socket's buffer at once); what does not
   * fit is written when the socket is writable again. A failure ends the attempt.
   */
  final void write(byte[] bytes) {
    unwrittenInScratch = bytes.length <= READ_BUFFER_BYTES;
    unwritten =
        unwrittenInScratch
            ? READ_BUFFER.get().internalNioBuffer(0, bytes.length)
            : ByteBuffer.allocateDirect(bytes.length);
    unwritten.put(bytes).flip();
    flush();
  }

  private void flush() {
    try {
      int written = socket.write(unwritten, unwritten.position(), unwritten.limit());
      unwritten.position(unwritten.position() + written);
    } catch (IOException e) {
      finish(
          ProbeResult.down("cannot send the request: " + TcpFailureReasons.kernelMessage(e)),
          false);
      return;
    }
    if (!unwritten.hasRemaining()) {
      unwritten = null;
    } else if (unwrittenInScratch) {
      // The shared buffer is about to be reused: the rest moves to a buffer of its own.
      unwritten = ByteBuffer.allocateDirect(unwritten.remaining()).put(unwritten).flip();
      unwrittenInScratch = false;
    }
  }

  /**
   * Reads until the socket has nothing more (edge-triggered epoll reports new data only once), the
   * peer's FIN, or the attempt ends. A short read with the peer's shutdown already signalled means
   * the FIN is next, so no read is spent to see it.
   */
  private void readAvailable(long now) {
    ByteBuf in = READ_BUFFER.get();
    ByteBuffer window = in.internalNioBuffer(0, READ_BUFFER_BYTES);
    while (!done) {
      int read;
      try {
        read = socket.read(window, 0, READ_BUFFER_BYTES);
      } catch (IOException e) {
        onIoFailure(e);
        return;
      }
      if (read > 0) {
        in.setIndex(0, read);
        onReceived(in, now);
        if (read < READ_BUFFER_BYTES && !peerShutDown) {
          return;
        }
        if (read < READ_BUFFER_BYTES) {
          read = -1;
        }
      }
      if (read < 0) {
        peerShutDown = true;
        if (!done) {
          onPeerClosed();
        }
        return;
      }
      if (read == 0) {
        return;
      }
    }
  }

  /** The one timer: the connect's bound, then the subclass's. */
  @Override
  public final void run() {
    if (done) {
      return;
    }
    long now = System.nanoTime();
    if (!connected) {
      if (now - connectDeadlineNanos >= 0) {
        finish(
            ProbeResult.down("connect timeout " + DurationText.of(target.connectTimeout())), false);
        return;
      }
      timer = loop.schedule(this, connectDeadlineNanos - now, TimeUnit.NANOSECONDS);
      return;
    }
    ProbeResult outcome = timedOut(now);
    if (outcome != null) {
      finish(outcome, false);
    } else {
      timer = loop.schedule(this, deadlineNanos() - now, TimeUnit.NANOSECONDS);
    }
  }

  /** True once the server has sent its FIN (seen as EPOLLRDHUP or end of stream). */
  final boolean peerShutDown() {
    return peerShutDown;
  }

  /**
   * Ends the attempt once: stops the timer and the watch, closes the socket and completes the
   * future. With {@code reset} the close is an RST (SO_LINGER 0): for a connection the server has
   * already closed, so only its kernel sees it, and its half of the connection ends at once instead
   * of waiting in FIN_WAIT2 for our FIN and then 60 s in TIME_WAIT.
   */
  final void finish(ProbeResult outcome, boolean reset) {
    if (done) {
      return;
    }
    done = true;
    if (timer != null) {
      timer.cancel(false);
    }
    if (registration != null) {
      registration.cancel();
    }
    closeSocket(reset);
    result.complete(outcome);
  }

  private void closeSocket(boolean reset) {
    if (socket == null || !socket.isOpen()) {
      return;
    }
    try {
      if (reset) {
        socket.setSoLinger(0);
      }
      socket.close();
    } catch (IOException e) {
      // Nothing was waiting on it: the outcome is decided, and the descriptor is released anyway.
    }
  }

  /** The loop is shutting down with this attempt in flight. */
  @Override
  public final void close() {
    finish(ProbeResult.down(TcpFailureReasons.LOOPS_CLOSED), false);
  }

  private static Throwable causeOf(Exception e) {
    // Netty wraps a failed socket(2) in a ChannelException.
    return e instanceof ChannelException && e.getCause() != null ? e.getCause() : e;
  }

  /** A stream socket of the target's address family (Netty's own would be dual-stack IPv6). */
  private static final class CheckSocket extends Socket {
    CheckSocket(boolean ipv6) {
      super(newSocketStream0(ipv6));
    }
  }
}
