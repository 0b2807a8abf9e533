package io.kubelvs.agent.vrrp;

import io.kubelvs.agent.netlink.CidrAddress;
import java.net.InetAddress;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VIPs of a {@link VrrpRunner} across its restarts: at start it takes back the ones an earlier
 * run recorded in the {@link VipStore} and left on the interface (a crash), and after each change
 * it records what the instances hold now. Runs on the thread that starts the runner, then on the
 * event loop's.
 */
final class VrrpRunnerVips {
  private static final Logger log = LoggerFactory.getLogger(VrrpRunnerVips.class);

  private final VrrpRunnerConfig config;
  private final VipStore store;
  private final VrrpRunnerIo io;
  private final Collection<VrrpRunnerInstance> instances;

  VrrpRunnerVips(
      VrrpRunnerConfig config,
      VipStore store,
      VrrpRunnerIo io,
      Collection<VrrpRunnerInstance> instances) {
    this.config = config;
    this.store = store;
    this.io = io;
    this.instances = instances;
  }

  /**
   * Before the instances start: a recorded VIP still on the interface becomes its instance's again
   * ({@link VrrpStateMachine#adoptVips()}); one no instance configures any more is removed; one
   * already gone is forgotten.
   */
  void adoptLeftovers() {
    Set<CidrAddress> leftover = new LinkedHashSet<>(store.load());
    leftover.retainAll(io.addresses());
    for (VrrpRunnerInstance instance : instances) {
      boolean adopted = false;
      for (InetAddress vip : instance.config().virtualAddresses()) {
        if (leftover.remove(config.prefixed(vip))) {
          instance.added().add(vip);
          adopted = true;
        }
      }
      if (adopted) {
        instance.machine().adoptVips();
        log.info(
            "vrrp vips of an earlier run adopted interface={} instance={} vips={}",
            config.interfaceName(),
            instance.name(),
            instance.added());
      }
    }
    for (CidrAddress unconfigured : leftover) {
      io.removeLeftover(unconfigured);
      log.info(
          "vrrp vip of an earlier run no longer configured, removed interface={} vip={}",
          config.interfaceName(),
          unconfigured);
    }
    save();
  }

  /** Records the VIPs the instances hold now; a failure is logged, the data plane goes on. */
  void save() {
    Set<CidrAddress> added = new LinkedHashSet<>();
    for (VrrpRunnerInstance instance : instances) {
      for (InetAddress vip : instance.added()) {
        added.add(config.prefixed(vip));
      }
    }
    try {
      store.save(added);
    } catch (RuntimeException e) {
      log.error(
          "vrrp cannot record its VIPs; after a crash they would stay behind interface={}"
              + " vips={} error=\"{}\"",
          config.interfaceName(),
          added,
          e.getMessage());
    }
  }
}
