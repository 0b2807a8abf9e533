package io.kubelvs.agent.cli;

import io.kubelvs.agent.check.CheckConfigException;
import io.kubelvs.agent.check.EventLoopCheckTimer;
import io.kubelvs.agent.check.HealthEvent;
import io.kubelvs.agent.check.Probers;
import io.kubelvs.agent.config.NodeConfig;
import io.kubelvs.agent.engine.DirectorEngine;
import io.kubelvs.agent.engine.LvsEngine;
import io.kubelvs.agent.engine.VrrpEngine;
import io.kubelvs.agent.ipvs.AbsentIpvsTable;
import io.kubelvs.agent.ipvs.FileOwnedServicesStore;
import io.kubelvs.agent.ipvs.IpvsClient;
import io.kubelvs.agent.ipvs.IpvsReconciler;
import io.kubelvs.agent.ipvs.IpvsTable;
import io.kubelvs.agent.notify.Notifier;
import io.kubelvs.agent.vrrp.FileVipStore;
import io.kubelvs.agent.vrrp.MonotonicClock;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running director's parts, built alike whether it follows a keepalived.conf or a Director: the
 * kernel's IPVS table, the checks' event loops, the notifier, and the engine over them. The IPVS
 * services it owns and the VIPs it adds are recorded under the state directory, so that a restart
 * adopts them instead of tearing them down.
 */
final class DirectorParts {
  private static final Logger LOG = LoggerFactory.getLogger(DirectorParts.class);

  final Ipvs ipvs;
  final Probers probers;
  final Notifier notifier;
  final DirectorEngine engine;
  private final List<Consumer<HealthEvent>> healthListeners = new CopyOnWriteArrayList<>();

  private DirectorParts(Ipvs ipvs, Path stateDir) {
    this.ipvs = ipvs;
    this.probers = Probers.start();
    this.notifier = Notifier.start();
    LvsEngine lvs =
        new LvsEngine(
            new IpvsReconciler(
                ipvs.table(), new FileOwnedServicesStore(stateDir.resolve("ipvs-owned"))),
            new EventLoopCheckTimer(probers.eventLoops().group().next()),
            probers,
            InstantSource.system(),
            RandomGenerator.of("L64X128MixRandom"),
            this::onHealthEvent);
    VrrpEngine vrrp =
        new VrrpEngine(
            iface -> new FileVipStore(stateDir.resolve("vips-" + iface)),
            MonotonicClock.system(),
            notifier::onStateChange);
    this.engine = new DirectorEngine(vrrp, lvs);
  }

  static DirectorParts start(Ipvs ipvs, Path stateDir) {
    ipvs.missing().ifPresent(reason -> LOG.warn("ipvs missing, running VRRP only: {}", reason));
    return new DirectorParts(ipvs, stateDir);
  }

  /** Also tells {@code listener} of every real server's and quorum's change, after the notifier. */
  void addHealthListener(Consumer<HealthEvent> listener) {
    healthListeners.add(listener);
  }

  private void onHealthEvent(HealthEvent event) {
    notifier.onHealthEvent(event);
    for (Consumer<HealthEvent> listener : healthListeners) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        LOG.error("health listener failed: {}", e.getMessage(), e);
      }
    }
  }

  /** An IPVS table of its own for the kernel's counters (the observer reads them on its thread). */
  Supplier<? extends IpvsTable> counters() {
    return ipvs.missing().isEmpty() ? IpvsClient::open : ipvs::table;
  }

  /**
   * Applies {@code config} as a diff; the notifier follows it, or goes back to the last one if
   * refused.
   *
   * @throws IpvsMissingException when it has virtual servers and the kernel has no IPVS
   * @throws CheckConfigException when a check is invalid; nothing changed
   */
  void apply(NodeConfig config) throws CheckConfigException {
    if (ipvs.missing().isPresent() && !config.virtualServers().isEmpty()) {
      throw new IpvsMissingException(ipvs.missing().get());
    }
    notifier.apply(config);
    try {
      engine.apply(config);
    } catch (CheckConfigException e) {
      notifier.revert();
      throw e;
    } catch (VrrpEngine.StartException e) {
      // The rest runs; the operator reads which interface and why.
      LOG.error("{}", e.getMessage());
    }
  }

  /** Hands the VIPs over and stops; with {@code flush}, removes the IPVS services it owns. */
  void stop(boolean flush) {
    try {
      if (flush) {
        engine.closeAndFlush();
      } else {
        engine.close();
      }
    } catch (RuntimeException e) {
      LOG.error("stopping failed: {}", e.getMessage(), e);
    } finally {
      probers.close();
      ipvs.close().run();
      notifier.close();
    }
  }

  /**
   * The kernel's IPVS table. A kernel without ip_vs can still carry VIPs: a VRRP-only configuration
   * runs on an empty table ({@link AbsentIpvsTable}), as keepalived does; one with virtual servers
   * cannot run.
   */
  record Ipvs(IpvsTable table, Runnable close, Optional<String> missing) {
    static Ipvs open() {
      try {
        IpvsClient client = IpvsClient.open();
        return new Ipvs(client, client::close, Optional.empty());
      } catch (RuntimeException e) {
        return new Ipvs(new AbsentIpvsTable(e.getMessage()), () -> {}, Optional.of(e.getMessage()));
      }
    }
  }

  /** A configuration with virtual servers, on a kernel without IPVS. */
  static final class IpvsMissingException extends RuntimeException {
    IpvsMissingException(String reason) {
      super("the configuration has virtual servers, and " + reason);
    }
  }
}
