package io.kubelvs.agent.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.netlink.Addresses;
import io.kubelvs.agent.netlink.CidrAddress;
import io.kubelvs.agent.netlink.Link;
import io.kubelvs.agent.netlink.Links;
import io.kubelvs.agent.netlink.Netlink;
import io.kubelvs.agent.netlink.NetlinkSocket;
import io.kubelvs.agent.testing.NetnsLab;
import io.kubelvs.agent.testing.NetnsLab.Host;
import io.kubelvs.agent.testing.Privileges;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link NetnsLab} with {@link VrrpRunner}s in its hosts, as the runner tests use it: instance
 * VI_1, VRID 99, group 224.0.100.99 and VIP 198.18.0.50 as in the seed and the golden vectors.
 * Keeps every state change each host's runners published, and reads each host's addresses over a
 * netlink socket of its own (fast enough to sample every few milliseconds). Used as a JUnit
 * extension ({@link #perTest}); closing kills the runners still running (a crash: the namespaces go
 * anyway) and deletes the lab.
 */
final class VrrpRunnerLab implements AutoCloseable, BeforeEachCallback, AfterEachCallback {
  static final String INSTANCE = "VI_1";
  static final int VRID = 99;
  static final InetAddress GROUP = CidrAddress.parse("224.0.100.99").address();
  static final InetAddress VIP = CidrAddress.parse("198.18.0.50").address();
  static final String PASSWORD = "571f97b2";

  NetnsLab lab;
  private final List<VrrpRunner> runners = new CopyOnWriteArrayList<>();
  private final Map<String, List<StateChange>> changes = new ConcurrentHashMap<>();
  private final Map<String, NetlinkSocket> routeSockets = new ConcurrentHashMap<>();
  private final Map<String, Link> links = new ConcurrentHashMap<>();

  private final int hostCount;
  private final String why;

  private VrrpRunnerLab(int hostCount, String why) {
    this.hostCount = hostCount;
    this.why = why;
  }

  /**
   * A lab of {@code hostCount} hosts for each test, as a JUnit extension: made before the test
   * (which skips without root on a laptop and fails in CI), deleted after it, also when it fails.
   */
  static VrrpRunnerLab perTest(int hostCount) {
    return perTest(hostCount, "run VRRP on raw sockets in a network-namespace lab");
  }

  static VrrpRunnerLab perTest(int hostCount, String why) {
    return new VrrpRunnerLab(hostCount, why);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Privileges.requireRoot(why);
    lab = NetnsLab.create(hostCount);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (lab != null) {
      close();
    }
  }

  Host host(String name) {
    return lab.host(name);
  }

  /** VRRPv3 with {@code advert} intervals; the handover wait stays the state machine's default. */
  static VrrpInstanceConfig.Builder v3(int priority, Duration advert) {
    return VrrpInstanceConfig.builder(INSTANCE, VRID, VrrpRunnerConfig.UNRESOLVED_PRIMARY)
        .version(3)
        .priority(priority)
        .advertInterval(advert)
        .virtualAddresses(VIP);
  }

  static VrrpRunnerConfig config(VrrpInstanceConfig instance) {
    return VrrpRunnerConfig.of(NetnsLab.INTERFACE, StandardProtocolFamily.INET, List.of(instance))
        .withGroup(GROUP);
  }

  /** Starts a runner inside {@code host}'s namespace. */
  VrrpRunner start(String host, VrrpRunnerConfig config) throws Exception {
    return start(host, config, VipStore.inMemory());
  }

  /** Starts a runner inside {@code host}'s namespace that records its VIPs in {@code vipStore}. */
  VrrpRunner start(String host, VrrpRunnerConfig config, VipStore vipStore) throws Exception {
    List<StateChange> seen = changes.computeIfAbsent(host, h -> new CopyOnWriteArrayList<>());
    VrrpRunner runner =
        lab.host(host)
            .call(
                () ->
                    VrrpRunner.start(
                        config, vipStore, MonotonicClock.system(), List.of(seen::add)));
    runners.add(runner);
    return runner;
  }

  List<StateChange> changes(String host) {
    return changes.getOrDefault(host, List.of());
  }

  /** The first change of {@code host} into {@code role} at or after {@code sinceNanos}. */
  Optional<StateChange> changeTo(String host, VrrpRole role, long sinceNanos) {
    return changes(host).stream()
        .filter(c -> c.to() == role && c.monotonicNanos() - sinceNanos >= 0)
        .findFirst();
  }

  /** Whether {@code host}'s v0 has the VIP now, read over netlink. */
  boolean holdsVip(String host) {
    try {
      NetlinkSocket socket = routeSockets.computeIfAbsent(host, h -> openRouteSocket(lab.host(h)));
      Link link = links.computeIfAbsent(host, h -> new Links(socket).byName(NetnsLab.INTERFACE));
      return new Addresses(socket)
          .list(link).stream().anyMatch(a -> a.address().address().equals(VIP));
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot read the addresses of host " + host, e);
    }
  }

  /** What {@code ip addr} shows in {@code host}: the oracle independent of our netlink code. */
  boolean ipAddrShowsVip(String host) {
    return lab.host(host)
        .ip("-o", "-4", "address", "show", "dev", NetnsLab.INTERFACE)
        .contains(" " + VIP.getHostAddress() + "/32 ");
  }

  private static NetlinkSocket openRouteSocket(Host host) {
    try {
      return host.call(() -> NetlinkSocket.open(Netlink.NETLINK_ROUTE));
    } catch (Exception e) {
      throw new IllegalStateException("cannot open a netlink socket in " + host, e);
    }
  }

  void awaitRole(VrrpRunner runner, VrrpRole role, Duration timeout) {
    await(() -> runner.role(INSTANCE) == role, timeout, "role " + role);
  }

  static void await(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        assertThat(condition.getAsBoolean()).as("within " + timeout + ": " + what).isTrue();
        return;
      }
      sleep(Duration.ofMillis(5));
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static double millis(long nanos) {
    return nanos / 1e6;
  }

  @Override
  public void close() {
    List<RuntimeException> failures = new ArrayList<>();
    for (VrrpRunner runner : runners) {
      try {
        runner.kill();
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    routeSockets.values().forEach(NetlinkSocket::close);
    lab.close();
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
  }
}
