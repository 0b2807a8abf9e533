package io.kubelvs.agent.check;

import io.kubelvs.agent.sys.IcmpSocket;
import java.net.StandardProtocolFamily;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's {@link ProberFactory}: every network prober shares one Netty event loop group ({@link
 * CheckEventLoops}) and one native loop for the sockets Java cannot open (UDP with ICMP errors,
 * ICMP echo), so checking 10,000 real servers needs a handful of threads, not one per check. The
 * ICMP sockets are opened on the first PING_CHECK, in the network namespace of the thread asking
 * for it; all PING_CHECKs share that one ping prober. The other probers are cheap values.
 */
public final class Probers implements ProberFactory, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Probers.class);

  private final CheckEventLoops loops;
  private final UdpIcmpLoop nativeLoop;
  private final TlsContexts tls;
  private PingProber ping;

  private Probers(CheckEventLoops loops, UdpIcmpLoop nativeLoop, TlsContexts tls) {
    this.loops = loops;
    this.nativeLoop = nativeLoop;
    this.tls = tls;
  }

  /**
   * The event loop threads {@link #start()} runs: two where the machine has two cores or more, else
   * one. At 10,000 checks/s one loop is ~90 % busy (most of it the kernel's TCP work, which a C
   * client pays alike), and a loop that busy queues every check start and timeout behind the
   * others: measured by hack/bench-checks.sh on 2 cores, one loop ran up to 520 ms late (p99 65-280
   * ms) and the p99 from a failure to its down decision was 2.5-2.7 s; two loops share the same CPU
   * (0.88 cores) at a p99 lag of 4-32 ms over the undisturbed runs.
   */
  public static final int DEFAULT_LOOPS = Math.min(2, Runtime.getRuntime().availableProcessors());

  /**
   * {@link #DEFAULT_LOOPS} event loop threads for the network probers, TLS verification against the
   * JDK's CAs.
   */
  public static Probers start() {
    return start(DEFAULT_LOOPS, TlsContexts.withSystemTrustStore());
  }

  public static Probers start(int eventLoopThreads, TlsContexts tls) {
    CheckEventLoops loops = new CheckEventLoops(eventLoopThreads);
    try {
      return new Probers(loops, UdpIcmpLoop.start("check-native"), tls);
    } catch (RuntimeException e) {
      loops.close();
      throw e;
    }
  }

  public CheckEventLoops eventLoops() {
    return loops;
  }

  @Override
  public Prober forMethod(CheckMethod method) {
    if (method instanceof HttpGetCheck http) {
      return new HttpProber(loops, tls, http);
    } else if (method instanceof TcpCheck tcp) {
      return new TcpProber(loops, tcp);
    } else if (method instanceof UdpCheck udp) {
      return new UdpProber(udp, nativeLoop, loops.group());
    } else if (method instanceof DnsCheck dns) {
      return new DnsProber(dns, loops.group(), loops.datagramChannel());
    } else if (method instanceof MiscCheck misc) {
      return new MiscProber(misc, loops.group());
    } else if (method instanceof PingCheck) {
      return ping();
    }
    throw new IllegalArgumentException("no prober for " + method.keepalivedName());
  }

  private synchronized PingProber ping() {
    if (ping == null) {
      ping =
          PingProber.open(
              nativeLoop,
              loops.group(),
              openIcmp(StandardProtocolFamily.INET),
              openIcmp(StandardProtocolFamily.INET6));
    }
    return ping;
  }

  /** A family whose socket cannot be opened fails its pings with the reason, not the agent. */
  private static Optional<IcmpSocket> openIcmp(StandardProtocolFamily family) {
    try {
      return Optional.of(IcmpSocket.open(family));
    } catch (RuntimeException e) {
      log.error("check cannot open an ICMP socket family={} error=\"{}\"", family, e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public synchronized void close() {
    if (ping != null) {
      ping.close();
    }
    nativeLoop.close();
    loops.close();
  }
}
