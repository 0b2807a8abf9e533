package io.kubelvs.agent.check;

import com.sun.management.OperatingSystemMXBean;
import io.kubelvs.agent.check.HealthEvent.RealServerDown;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * The checker side of {@code hack/bench-checks.sh}: the real {@link HealthChecker} with the real
 * {@link Probers}, HTTP_GET / expecting 200 of every real server read from a file ({@code ip port}
 * per line), in virtual servers of 100 real servers, retry 0 (the first failure is the decision).
 *
 * <pre>
 *   CheckBenchMain TARGETS INTERVAL_MS CONNECT_TIMEOUT_MS WARM_S MEASURE_S
 * </pre>
 *
 * Prints {@code READY} after the warm-up (every server checked at least once), then {@code DOWN
 * <ip>:<port> <epoch-nanos> <reason>} for each decision, and after the measured window {@code STATS
 * checks=<n> seconds=<s> cpu_seconds=<s> user_seconds=<s> system_seconds=<s> rss_kib=<n>}: probes
 * completed, and the CPU of the whole process (every thread, GC and JIT included) within the
 * window, also split into user and kernel time, and {@code loop_lag_p50_ms}/{@code
 * loop_lag_p99_ms}/{@code loop_lag_max_ms}: how late a task scheduled every 10 ms on each of the
 * checker's event loops ran, all loops together, in the window - what delays every check start and
 * timeout there.
 */
public final class CheckBenchMain {
  private static final int REAL_SERVERS_PER_VIRTUAL_SERVER = 100;

  public static void main(String[] args) throws Exception {
    List<InetSocketAddress> targets = readTargets(Path.of(args[0]));
    Duration interval = Duration.ofMillis(Long.parseLong(args[1]));
    Duration timeout = Duration.ofMillis(Long.parseLong(args[2]));
    Duration warm = Duration.ofSeconds(Long.parseLong(args[3]));
    Duration measure = Duration.ofSeconds(Long.parseLong(args[4]));

    AtomicLong completed = new AtomicLong();
    int loops =
        Integer.parseInt(
            System.getProperty("kubelvs.checkLoops", String.valueOf(Probers.DEFAULT_LOOPS)));
    try (Probers probers = Probers.start(loops, TlsContexts.withSystemTrustStore())) {
      ProberFactory counting =
          method -> {
            Prober prober = probers.forMethod(method);
            return target -> {
              CompletableFuture<ProbeResult> result = prober.probe(target);
              result.thenRun(completed::incrementAndGet);
              return result;
            };
          };
      LoopLag lag = new LoopLag(probers.eventLoops().group());
      HealthChecker checker =
          new HealthChecker(
              new EventLoopCheckTimer(probers.eventLoops().group().next()),
              counting,
              InstantSource.system(),
              RandomGenerator.of("L64X128MixRandom"),
              new DownPrinter());
      checker.apply(virtualServers(targets, interval, timeout));
      Thread.sleep(warm.toMillis());
      System.out.println("READY");
      System.out.flush();

      OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
      long cpu0 = os.getProcessCpuTime();
      long[] ticks0 = userAndSystemTicks();
      long checks0 = completed.get();
      long wall0 = System.nanoTime();
      lag.start();
      Thread.sleep(measure.toMillis());
      lag.stop();
      long cpu1 = os.getProcessCpuTime();
      long[] ticks1 = userAndSystemTicks();
      long checks1 = completed.get();
      long wall1 = System.nanoTime();
      System.out.printf(
          "STATS checks=%d seconds=%.3f cpu_seconds=%.3f user_seconds=%.2f system_seconds=%.2f"
              + " rss_kib=%d loop_lag_p50_ms=%.1f loop_lag_p99_ms=%.1f loop_lag_max_ms=%.1f loops=%d%n",
          checks1 - checks0,
          (wall1 - wall0) / 1e9,
          (cpu1 - cpu0) / 1e9,
          (ticks1[0] - ticks0[0]) / 100.0,
          (ticks1[1] - ticks0[1]) / 100.0,
          residentKib(),
          lag.percentileMillis(50),
          lag.percentileMillis(99),
          lag.percentileMillis(100),
          loops);
      System.out.flush();
      checker.close();
    }
  }

  private static List<VirtualServerChecks> virtualServers(
      List<InetSocketAddress> targets, Duration interval, Duration timeout) {
    CheckTiming timing =
        new CheckTiming(interval, timeout, 0, Duration.ofSeconds(1), Optional.empty(), false);
    HttpGetCheck get = HttpGetCheck.of("/");
    List<VirtualServerChecks> virtualServers = new ArrayList<>();
    for (int from = 0; from < targets.size(); from += REAL_SERVERS_PER_VIRTUAL_SERVER) {
      List<RealServerCheck> realServers = new ArrayList<>();
      for (InetSocketAddress target :
          targets.subList(from, Math.min(targets.size(), from + REAL_SERVERS_PER_VIRTUAL_SERVER))) {
        realServers.add(RealServerCheck.of(target, 1, get, timing));
      }
      int n = virtualServers.size();
      String id = "198.18." + (n / 250) + "." + (n % 250 + 1) + ":80/TCP";
      virtualServers.add(VirtualServerChecks.of(id, realServers));
    }
    return virtualServers;
  }

  private static List<InetSocketAddress> readTargets(Path file) throws IOException {
    List<InetSocketAddress> targets = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String[] words = line.strip().split("\\s+");
      if (words.length == 2) {
        targets.add(
            new InetSocketAddress(InetAddress.getByName(words[0]), Integer.parseInt(words[1])));
      }
    }
    return targets;
  }

  /** utime and stime of /proc/self/stat, in clock ticks (USER_HZ, 100 on Linux). */
  private static long[] userAndSystemTicks() throws IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
  }

  private static long residentKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  /**
   * How late a task scheduled every {@link #PERIOD_NANOS} on each loop of a group runs, all loops
   * together: what a check on any of them may meet.
   */
  private static final class LoopLag {
    private static final long PERIOD_NANOS = 10_000_000;

    private final EventLoopGroup group;
    private final List<Long> lateNanos = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean running;

    LoopLag(EventLoopGroup group) {
      this.group = group;
    }

    void start() {
      running = true;
      for (EventExecutor loop : group) {
        long due = System.nanoTime() + PERIOD_NANOS;
        loop.schedule(() -> tick(loop, due), PERIOD_NANOS, TimeUnit.NANOSECONDS);
      }
    }

    private void tick(EventExecutor loop, long due) {
      long now = System.nanoTime();
      lateNanos.add(now - due);
      if (running) {
        long next = now + PERIOD_NANOS;
        loop.schedule(() -> tick(loop, next), PERIOD_NANOS, TimeUnit.NANOSECONDS);
      }
    }

    void stop() {
      running = false;
    }

    double percentileMillis(int percent) {
      List<Long> sorted;
      synchronized (lateNanos) {
        sorted = new ArrayList<>(lateNanos);
      }
      if (sorted.isEmpty()) {
        return Double.NaN;
      }
      Collections.sort(sorted);
      int index = Math.max(0, (int) Math.ceil(sorted.size() * percent / 100.0) - 1);
      return sorted.get(index) / 1e6;
    }
  }

  /** Prints each down decision as it is taken, on the checker's thread. */
  private static final class DownPrinter implements HealthListener {
    @Override
    public void onDestinations(DesiredDestinations destinations) {}

    @Override
    public void onEvent(HealthEvent event) {
      if (event instanceof RealServerDown down) {
        Instant at = down.at();
        System.out.println(
            "DOWN "
                + down.realServer().getAddress().getHostAddress()
                + ":"
                + down.realServer().getPort()
                + " "
                + (at.getEpochSecond() * 1_000_000_000L + at.getNano())
                + " "
                + down.reason());
      }
    }
  }
}
