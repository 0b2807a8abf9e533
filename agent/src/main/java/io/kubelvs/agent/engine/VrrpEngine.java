package io.kubelvs.agent.engine;

import io.kubelvs.agent.config.VrrpConfig;
import io.kubelvs.agent.vrrp.MonotonicClock;
import io.kubelvs.agent.vrrp.StateChange;
import io.kubelvs.agent.vrrp.VipStore;
import io.kubelvs.agent.vrrp.VrrpInstanceConfig;
import io.kubelvs.agent.vrrp.VrrpRole;
import io.kubelvs.agent.vrrp.VrrpRunner;
import io.kubelvs.agent.vrrp.VrrpRunnerConfig;
import io.kubelvs.agent.vrrp.VrrpRunnerCounters;
import io.kubelvs.agent.vrrp.VrrpStateMachine;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VRRP half of a director: one {@link VrrpRunner} per interface and address family, kept in
 * step with the node's {@link VrrpConfig}.
 *
 * <p>A new configuration is applied as a diff by interface: a runner whose configuration is
 * unchanged keeps running untouched (its instances keep their state: no MASTER flap); a removed one
 * hands its VIPs over (the planned handover of the VRRP core) and stops; a changed one is replaced
 * without moving a VIP: its instances the new configuration drops hand over, the others stop where
 * they are (VIPs in place) and the new runner starts at once, its masters resuming as masters
 * ({@link VrrpRunner#detach()}, {@link VrrpStateMachine#resumeAsMaster()}). If the new runner
 * cannot start, the previous configuration runs on. A runner's configuration includes its
 * instances' tracked scripts, interfaces and files and its sync groups: changing one of them
 * reconfigures that runner alone, and the scripts and file polling stop and start with it. Runners
 * start in the calling thread's network namespace, which their tracked scripts run in.
 */
public final class VrrpEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VrrpEngine.class);

  private final Function<String, VipStore> vipStores;
  private final MonotonicClock clock;
  private final List<Consumer<StateChange>> stateChanges = new CopyOnWriteArrayList<>();
  private final Map<String, Running> running = new LinkedHashMap<>();
  private final Map<String, VipStore> stores = new HashMap<>();

  /** The runners as the last apply left them, for readers that must not wait for an apply. */
  private volatile List<Running> published = List.of();

  private record Running(VrrpRunnerConfig config, VrrpRunner runner) {}

  /**
   * One configured instance as its runner last published it.
   *
   * @param configuredPriority the priority of the configuration
   * @param priority the effective priority, after tracking
   */
  public record InstanceStatus(
      String name,
      String interfaceName,
      int vrid,
      int configuredPriority,
      int priority,
      VrrpRole role,
      VrrpRunnerCounters counters) {}

  /** Runners that could not start, each with why; the others run. */
  public static final class StartException extends Exception {
    private static final long serialVersionUID = 1L;

    StartException(List<String> failures) {
      super("VRRP could not start on: " + String.join("; ", failures));
    }
  }

  /**
   * @param vipStores where the runner of an interface records the VIPs it adds, by {@linkplain
   *     #storeName store name} (the interface's; for IPv6 with "-inet6") (a file on the node, so
   *     that a restart takes them back)
   * @param stateChanges every instance's state changes, on its runner's thread; keep it short
   */
  public VrrpEngine(
      Function<String, VipStore> vipStores,
      MonotonicClock clock,
      Consumer<StateChange> stateChanges) {
    this.vipStores = Objects.requireNonNull(vipStores, "vipStores");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.stateChanges.add(Objects.requireNonNull(stateChanges, "stateChanges"));
  }

  /**
   * Adds a receiver of every instance's state changes, as the constructor's {@code stateChanges}:
   * for status and metrics, which start after the engine. Runners already running get it too.
   */
  public synchronized void addStateListener(Consumer<StateChange> listener) {
    Objects.requireNonNull(listener, "listener");
    stateChanges.add(listener);
    running.values().forEach(r -> r.runner().addListener(listener));
  }

  /**
   * Brings the running runners to {@code config}.
   *
   * @throws StartException naming each interface whose runner did not start (a missing interface, a
   *     refused socket); every other interface is running as configured
   */
  public synchronized void apply(VrrpConfig config) throws StartException {
    Map<String, VrrpRunnerConfig> wanted = new LinkedHashMap<>();
    for (VrrpRunnerConfig runner : config.runners()) {
      wanted.put(key(runner), runner);
    }
    Map<String, Replaced> replaced = new LinkedHashMap<>();
    for (Map.Entry<String, Running> entry : List.copyOf(running.entrySet())) {
      VrrpRunnerConfig next = wanted.get(entry.getKey());
      Running old = entry.getValue();
      if (next == null) {
        LOG.info("vrrp runner removed interface={}", old.config().interfaceName());
        old.runner().close();
        running.remove(entry.getKey());
      } else if (!next.equals(old.config())) {
        replaced.put(entry.getKey(), detach(old, next));
        running.remove(entry.getKey());
      }
    }
    List<String> failures = new ArrayList<>();
    try {
      startMissing(wanted, replaced, failures);
    } finally {
      published = List.copyOf(running.values());
    }
    if (!failures.isEmpty()) {
      throw new StartException(failures);
    }
  }

  /** A runner detached for a reconfiguration, and its instances that were master. */
  private record Replaced(Running old, Set<String> masters) {}

  /**
   * Takes a runner out for its interface's new configuration without moving a VIP: the instances
   * the new one drops (or gives another VRID) hand over; the rest stop where they are, and the
   * masters among them resume as masters in the new runner.
   */
  private Replaced detach(Running old, VrrpRunnerConfig next) {
    Map<String, Integer> nextVrids = new LinkedHashMap<>();
    next.instances().forEach(i -> nextVrids.put(i.name(), i.vrid()));
    List<String> leaving = new ArrayList<>();
    Set<String> masters = new LinkedHashSet<>();
    for (VrrpInstanceConfig instance : old.config().instances()) {
      Integer vrid = nextVrids.get(instance.name());
      if (vrid == null || vrid != instance.vrid()) {
        leaving.add(instance.name());
      } else if (old.runner().role(instance.name()) == VrrpRole.MASTER) {
        masters.add(instance.name());
      }
    }
    if (!leaving.isEmpty()) {
      old.runner().handOver(leaving);
    }
    old.runner().detach();
    LOG.info(
        "vrrp runner reconfigured interface={} handed_over={} resuming_as_master={}",
        old.config().interfaceName(),
        leaving,
        masters);
    return new Replaced(old, masters);
  }

  private void startMissing(
      Map<String, VrrpRunnerConfig> wanted, Map<String, Replaced> replaced, List<String> failures) {
    for (Map.Entry<String, VrrpRunnerConfig> entry : wanted.entrySet()) {
      if (running.containsKey(entry.getKey())) {
        continue;
      }
      VrrpRunnerConfig runner = entry.getValue();
      Replaced previous = replaced.get(entry.getKey());
      Set<String> resume = previous == null ? Set.of() : previous.masters();
      try {
        running.put(entry.getKey(), new Running(runner, start(runner, resume)));
      } catch (RuntimeException e) {
        LOG.error("vrrp runner failed to start interface={}", runner.interfaceName(), e);
        failures.add(runner.interfaceName() + " (" + e.getMessage() + ")");
        if (previous != null) {
          restorePrevious(entry.getKey(), previous);
        }
      }
    }
  }

  /** The new configuration of an interface did not start: its previous one runs on instead. */
  private void restorePrevious(String key, Replaced previous) {
    VrrpRunnerConfig config = previous.old().config();
    try {
      running.put(key, new Running(config, start(config, previous.masters())));
      LOG.warn(
          "vrrp runner back on its previous configuration interface={}", config.interfaceName());
    } catch (RuntimeException e) {
      LOG.error(
          "vrrp runner could not go back to its previous configuration interface={}",
          config.interfaceName(),
          e);
    }
  }

  private VrrpRunner start(VrrpRunnerConfig runner, Set<String> resumeAsMaster) {
    // One store per interface for the engine's life: a detached runner's VIPs are found again.
    VipStore store = stores.computeIfAbsent(storeName(runner), vipStores);
    return VrrpRunner.start(runner, store, clock, List.copyOf(stateChanges), resumeAsMaster);
  }

  /** Each configured instance's role now, by instance name. */
  public synchronized Map<String, VrrpRole> roles() {
    Map<String, VrrpRole> roles = new LinkedHashMap<>();
    for (Running r : running.values()) {
      r.config().instances().forEach(i -> roles.put(i.name(), r.runner().role(i.name())));
    }
    return roles;
  }

  /**
   * Every configured instance as its runner last published it, in configuration order. Reads what
   * the last apply left and never waits for one in progress.
   */
  public List<InstanceStatus> instances() {
    List<InstanceStatus> instances = new ArrayList<>();
    for (Running r : published) {
      for (VrrpInstanceConfig i : r.config().instances()) {
        instances.add(
            new InstanceStatus(
                i.name(),
                r.config().interfaceName(),
                i.vrid(),
                i.priority(),
                r.runner().priority(i.name()),
                r.runner().role(i.name()),
                r.runner().counters(i.name())));
      }
    }
    return instances;
  }

  /**
   * The adverts each runner dropped before their VRID was known (decode errors, unknown VRIDs), by
   * interface name; an interface that runs both address families has both runners' drops added up.
   */
  public Map<String, VrrpRunnerCounters> unattributedDrops() {
    Map<String, VrrpRunnerCounters> drops = new LinkedHashMap<>();
    for (Running r : published) {
      drops.merge(r.config().interfaceName(), r.runner().unattributedDrops(), VrrpEngine::sum);
    }
    return drops;
  }

  /** Hands every VIP over and stops every runner. */
  @Override
  public synchronized void close() {
    running.values().forEach(r -> r.runner().close());
    running.clear();
    published = List.of();
  }

  private static VrrpRunnerCounters sum(VrrpRunnerCounters a, VrrpRunnerCounters b) {
    return new VrrpRunnerCounters(
        sum(a.events(), b.events()),
        sum(a.decodeDrops(), b.decodeDrops()),
        sum(a.receiveDrops(), b.receiveDrops()));
  }

  private static <K> Map<K, Long> sum(Map<K, Long> a, Map<K, Long> b) {
    Map<K, Long> sum = new HashMap<>(a);
    b.forEach((k, v) -> sum.merge(k, v, Long::sum));
    return sum;
  }

  /**
   * The name a runner's VIP store is asked for: the interface's, and for its IPv6 runner the
   * interface's with "-inet6", so that the two families of one interface, each saving what it
   * holds, do not overwrite each other's record.
   */
  static String storeName(VrrpRunnerConfig config) {
    return config.family() == StandardProtocolFamily.INET6
        ? config.interfaceName() + "-inet6"
        : config.interfaceName();
  }

  private static String key(VrrpRunnerConfig config) {
    return config.interfaceName() + "/" + config.family();
  }
}
