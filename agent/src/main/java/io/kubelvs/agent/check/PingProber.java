package io.kubelvs.agent.check;

import io.kubelvs.agent.sys.IcmpSocket;
import io.kubelvs.agent.sys.SyscallException;
import io.netty.channel.EventLoopGroup;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's PING_CHECK (check_ping.c): one ICMP or ICMPv6 echo request with 128 bytes of data;
 * up when the echo reply comes back within connect_timeout, down otherwise.
 *
 * <p>One instance serves every PING_CHECK: it owns one {@link IcmpSocket} per family, watched by
 * the shared {@link UdpIcmpLoop}. Each attempt takes a free sequence number under the prober's
 * identifier, so a reply is matched by identifier, sequence and source; timeouts run on the Netty
 * event loop. At most 65536 attempts can be outstanding at once, which bounds the memory used.
 */
public final class PingProber implements Prober, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PingProber.class);

  /** keepalived's ICMP_BUFSIZE bytes of its set_buf pattern, as UDP_CHECK's default payload. */
  static final byte[] ECHO_DATA = UdpProber.repeat("keepalived check - ", 128);

  private static final int SEQUENCES = 1 << 16;
  private static final long CLOSE_TIMEOUT_SECONDS = 10;

  private final UdpIcmpLoop loop;
  private final EventLoopGroup timers;
  private final Map<StandardProtocolFamily, IcmpSocket> sockets;
  private final int identifier = ThreadLocalRandom.current().nextInt(SEQUENCES);
  private final AtomicInteger nextSequence = new AtomicInteger();
  private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private PingProber(
      UdpIcmpLoop loop, EventLoopGroup timers, Map<StandardProtocolFamily, IcmpSocket> sockets) {
    this.loop = loop;
    this.timers = timers;
    this.sockets = sockets;
  }

  /**
   * A prober that takes ownership of the sockets given (open them in the namespace to ping from)
   * and closes them with itself. A family without a socket fails its attempts with a reason.
   */
  public static PingProber open(
      UdpIcmpLoop loop,
      EventLoopGroup timers,
      Optional<IcmpSocket> ipv4,
      Optional<IcmpSocket> ipv6) {
    Map<StandardProtocolFamily, IcmpSocket> sockets = new EnumMap<>(StandardProtocolFamily.class);
    ipv4.ifPresent(socket -> sockets.put(StandardProtocolFamily.INET, checked(socket, true)));
    ipv6.ifPresent(socket -> sockets.put(StandardProtocolFamily.INET6, checked(socket, false)));
    PingProber prober = new PingProber(loop, timers, sockets);
    loop.execute(
        () -> sockets.values().forEach(socket -> loop.watch(socket, () -> prober.drain(socket))));
    return prober;
  }

  private static IcmpSocket checked(IcmpSocket socket, boolean ipv4) {
    if ((socket.family() == StandardProtocolFamily.INET) != ipv4) {
      throw new IllegalArgumentException(socket + " given as the " + (ipv4 ? "IPv4" : "IPv6"));
    }
    return socket;
  }

  /** The echo identifier of every request this prober sends. */
  public int identifier() {
    return identifier;
  }

  @Override
  public CompletableFuture<ProbeResult> probe(ProbeTarget target) {
    InetAddress address = target.address().getAddress();
    boolean ipv4 = address instanceof Inet4Address;
    IcmpSocket socket =
        sockets.get(ipv4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
    if (closed) {
      return CompletableFuture.completedFuture(down("stopped"));
    }
    if (socket == null) {
      return CompletableFuture.completedFuture(
          ProbeResult.down(
              "no " + (ipv4 ? "ICMP" : "ICMPv6") + " socket to ping " + address.getHostAddress()));
    }
    Pending attempt = new Pending(address, target.connectTimeout());
    int sequence = reserveSequence(attempt);
    if (sequence < 0) {
      return CompletableFuture.completedFuture(
          ProbeResult.down(SEQUENCES + " echo requests are already outstanding"));
    }
    try {
      attempt.timeout =
          timers
              .next()
              .schedule(
                  () -> expire(sequence, attempt),
                  target.connectTimeout().toNanos(),
                  TimeUnit.NANOSECONDS);
      socket.send(IcmpEchoMessage.request(ipv4, identifier, sequence, ECHO_DATA).encode(), address);
    } catch (SyscallException | IllegalArgumentException e) {
      settle(
          sequence, attempt, ProbeResult.down("cannot send the echo request: " + e.getMessage()));
    } catch (IllegalStateException | RejectedExecutionException e) {
      // Closed meanwhile: its socket or the timers are gone.
      settle(sequence, attempt, down("stopped"));
    }
    return attempt.result;
  }

  private int reserveSequence(Pending attempt) {
    for (int tries = 0; tries < SEQUENCES; tries++) {
      int sequence = nextSequence.getAndIncrement() & (SEQUENCES - 1);
      if (pending.putIfAbsent(sequence, attempt) == null) {
        return sequence;
      }
    }
    return -1;
  }

  private void expire(int sequence, Pending attempt) {
    settle(
        sequence,
        attempt,
        ProbeResult.down("no echo reply within " + DurationText.of(attempt.connectTimeout)));
  }

  /** Completes the attempt once, whichever of reply, timeout or failure comes first. */
  private void settle(int sequence, Pending attempt, ProbeResult outcome) {
    if (pending.remove(sequence, attempt)) {
      Future<?> timeout = attempt.timeout;
      if (timeout != null) {
        timeout.cancel(false);
      }
      attempt.result.complete(outcome);
    }
  }

  /** On the loop's thread: every queued echo reply, matched to its attempt. */
  private void drain(IcmpSocket socket) {
    try {
      Optional<IcmpSocket.Received> received;
      while ((received = socket.receive()).isPresent()) {
        InetAddress source = received.get().source();
        IcmpEchoMessage.decode(received.get().message())
            .filter(echo -> echo.isReply() && echo.identifier() == identifier)
            .ifPresent(echo -> answer(echo.sequence(), source));
      }
    } catch (SyscallException e) {
      // No attempt can be blamed; those waiting run into their timeouts.
      LOG.error("PING_CHECK receive failed socket={}", socket, e);
    }
  }

  private void answer(int sequence, InetAddress source) {
    Pending attempt = pending.get(sequence);
    if (attempt != null && Arrays.equals(attempt.address.getAddress(), source.getAddress())) {
      settle(sequence, attempt, ProbeResult.up("echo reply"));
    }
  }

  /**
   * Stops watching and closes the sockets (on the loop's thread, waited for), and ends every
   * attempt still waiting with a down result.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    CompletableFuture<Void> released = new CompletableFuture<>();
    loop.execute(
        () -> {
          List<RuntimeException> failures = new ArrayList<>();
          for (IcmpSocket socket : sockets.values()) {
            loop.unwatch(socket);
            try {
              socket.close();
            } catch (RuntimeException e) {
              failures.add(e);
            }
          }
          failures.forEach(e -> LOG.warn("PING_CHECK socket close failed", e));
          released.complete(null);
        });
    try {
      released.get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the ICMP sockets of PING_CHECK were not released", e);
    }
    pending.forEach((sequence, attempt) -> settle(sequence, attempt, down("stopped")));
  }

  private static ProbeResult down(String why) {
    return ProbeResult.down("PING_CHECK " + why);
  }

  /** One attempt waiting for its reply. */
  private static final class Pending {
    final InetAddress address;
    final Duration connectTimeout;
    final CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    volatile Future<?> timeout;

    Pending(InetAddress address, Duration connectTimeout) {
      this.address = address;
      this.connectTimeout = connectTimeout;
    }
  }
}
