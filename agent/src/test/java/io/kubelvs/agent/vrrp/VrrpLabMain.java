package io.kubelvs.agent.vrrp;

import io.kubelvs.agent.netlink.CidrAddress;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * One {@link VrrpRunner} as a process of its own, in the current network namespace, for interop
 * tests and the failover benchmark ({@code ip netns exec NAME java -cp CP
 * io.kubelvs.agent.vrrp.VrrpLabMain ...}). The contract other scripts parse:
 *
 * <pre>
 * VrrpLabMain --interface v0 --version 3 --vrid 99 --priority 100 --advert 100ms
 *             --group 224.0.100.99 [--auth PASSWORD] --vip 198.18.0.50/32 [--vip ...]
 *             [--nopreempt] [--unicast-peer ADDR]...
 * stdout:  READY                                      once started
 *          STATE VI_1 FROM TO MONOTONIC_MILLIS REASON one line per state change
 *          STOPPED                                    after SIGTERM's planned handover
 * </pre>
 *
 * MONOTONIC_MILLIS is {@link System#nanoTime()} / 10^6, CLOCK_MONOTONIC on Linux: comparable
 * between processes of one machine. {@code --advert} takes {@code 100ms}, {@code 1s} or plain
 * seconds ({@code 0.05}). On SIGTERM it hands over ({@link VrrpRunner#close()}), prints STOPPED and
 * exits 0; logs go to stderr. Bad arguments: a message on stderr and exit 2.
 */
public final class VrrpLabMain {
  static final String INSTANCE = "VI_1";
  private static final int EXIT_USAGE = 2;

  private final PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
  private final List<String> beforeReady = new ArrayList<>();
  private boolean ready;

  public static void main(String[] args) throws InterruptedException {
    VrrpRunnerConfig config;
    try {
      config = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("VrrpLabMain: " + e.getMessage());
      System.exit(EXIT_USAGE);
      return;
    }
    new VrrpLabMain().run(config);
  }

  private void run(VrrpRunnerConfig config) throws InterruptedException {
    VrrpRunner runner =
        VrrpRunner.start(config, MonotonicClock.system(), List.of(this::printChange));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  runner.close();
                  line("STOPPED");
                  stopped.countDown();
                  // A JVM ended by SIGTERM exits 143; the contract is 0 after a clean handover.
                  Runtime.getRuntime().halt(0);
                },
                "vrrp-lab-stop"));
    synchronized (this) {
      ready = true;
      out.println("READY");
      beforeReady.forEach(out::println);
      out.flush();
    }
    stopped.await();
  }

  private void printChange(StateChange change) {
    line(
        "STATE %s %s %s %d %s"
            .formatted(
                change.instance(),
                change.from(),
                change.to(),
                change.monotonicNanos() / 1_000_000,
                change.reason()));
  }

  private synchronized void line(String text) {
    if (ready) {
      out.println(text);
      out.flush();
    } else {
      beforeReady.add(text);
    }
  }

  static VrrpRunnerConfig parse(String[] args) {
    String interfaceName = null;
    int version = 3;
    int vrid = 0;
    int priority = 100;
    Duration advert = Duration.ofSeconds(1);
    InetAddress group = null;
    String password = null;
    List<CidrAddress> vips = new ArrayList<>();
    boolean preempt = true;
    List<InetAddress> peers = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      switch (flag) {
        case "--nopreempt" -> preempt = false;
        case "--interface" -> interfaceName = value(args, ++i, flag);
        case "--version" -> version = integer(value(args, ++i, flag), flag);
        case "--vrid" -> vrid = integer(value(args, ++i, flag), flag);
        case "--priority" -> priority = integer(value(args, ++i, flag), flag);
        case "--advert" -> advert = duration(value(args, ++i, flag));
        case "--group" -> group = address(value(args, ++i, flag));
        case "--auth" -> password = value(args, ++i, flag);
        case "--vip" -> vips.add(CidrAddress.parse(value(args, ++i, flag)));
        case "--unicast-peer" -> peers.add(address(value(args, ++i, flag)));
        default -> throw new IllegalArgumentException("unknown argument " + flag);
      }
    }
    if (interfaceName == null || vips.isEmpty()) {
      throw new IllegalArgumentException("--interface and at least one --vip are required");
    }
    StandardProtocolFamily family =
        vips.get(0).address() instanceof Inet4Address
            ? StandardProtocolFamily.INET
            : StandardProtocolFamily.INET6;
    VrrpInstanceConfig instance =
        VrrpInstanceConfig.builder(INSTANCE, vrid, VrrpRunnerConfig.UNRESOLVED_PRIMARY)
            .version(version)
            .priority(priority)
            .advertInterval(advert)
            .virtualAddresses(vips.stream().map(CidrAddress::address).toArray(InetAddress[]::new))
            .preempt(preempt)
            .unicastPeers(peers.toArray(InetAddress[]::new))
            .build();
    return new VrrpRunnerConfig(
        interfaceName, family, group, Optional.ofNullable(password), vips, List.of(instance));
  }

  private static String value(String[] args, int at, String flag) {
    if (at >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[at];
  }

  private static int integer(String text, String flag) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " " + text + " is not a number");
    }
  }

  /** {@code 100ms}, {@code 1s}, {@code 0.05} (seconds). */
  static Duration duration(String text) {
    try {
      if (text.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
      }
      String seconds = text.endsWith("s") ? text.substring(0, text.length() - 1) : text;
      return Duration.ofNanos(new BigDecimal(seconds).movePointRight(9).longValueExact());
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("--advert " + text + " is not 100ms, 1s or 0.05");
    }
  }

  /** A literal address; never a name lookup. */
  private static InetAddress address(String text) {
    return CidrAddress.parse(text).address();
  }
}
