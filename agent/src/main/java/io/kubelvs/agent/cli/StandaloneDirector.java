package io.kubelvs.agent.cli;

import io.kubelvs.agent.check.CheckConfigException;
import io.kubelvs.agent.check.EventLoopCheckTimer;
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
import io.kubelvs.agent.observe.ObserveServer;
import io.kubelvs.agent.vrrp.FileVipStore;
import io.kubelvs.agent.vrrp.MonotonicClock;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Standalone mode ({@code kubelvs-agent run}): the director runs from a keepalived.conf, without
 * Kubernetes. The IPVS services it owns and the VIPs it adds are recorded under the state
 * directory, so that a restart adopts them instead of tearing them down. SIGHUP reads the file
 * again and applies it as a diff (a refused file changes nothing); SIGTERM and SIGINT hand the VIPs
 * over and stop, leaving the IPVS rules in place. {@code GET /metrics} and {@code GET /status} are
 * served from the start until the stop ({@link ObserveServer}).
 */
final class StandaloneDirector {
  private static final Logger LOG = LoggerFactory.getLogger(StandaloneDirector.class);

  private StandaloneDirector() {}

  /** Runs until the process is told to stop; returns the exit status when it cannot run. */
  static int run(
      Main.Loaded first,
      Supplier<Optional<Main.Loaded>> reload,
      Path stateDir,
      boolean flushOnStop,
      Optional<InetSocketAddress> http,
      PrintStream err) {
    try {
      Files.createDirectories(stateDir);
    } catch (IOException e) {
      err.println("cannot create the state directory " + stateDir + ": " + e.getMessage());
      return Main.CANNOT_RUN;
    }
    Ipvs ipvs = Ipvs.open();
    if (ipvs.missing().isPresent() && !first.node().virtualServers().isEmpty()) {
      err.println("cannot run the director: " + ipvs.missing().get());
      return Main.CANNOT_RUN;
    }
    ipvs.missing().ifPresent(reason -> LOG.warn("ipvs missing, running VRRP only: {}", reason));
    Probers probers = Probers.start();
    Notifier notifier = Notifier.start();
    LvsEngine lvs =
        new LvsEngine(
            new IpvsReconciler(
                ipvs.table(), new FileOwnedServicesStore(stateDir.resolve("ipvs-owned"))),
            new EventLoopCheckTimer(probers.eventLoops().group().next()),
            probers,
            InstantSource.system(),
            RandomGenerator.of("L64X128MixRandom"),
            notifier::onHealthEvent);
    VrrpEngine vrrp =
        new VrrpEngine(
            iface -> new FileVipStore(stateDir.resolve("vips-" + iface)),
            MonotonicClock.system(),
            notifier::onStateChange);
    DirectorEngine engine = new DirectorEngine(vrrp, lvs);
    Optional<ObserveServer> observe =
        ObserveServer.startIfEnabled(
            http, engine, ipvs.missing().isEmpty() ? IpvsClient::open : ipvs::table);
    Applier applier = new Applier(engine, notifier, stateDir, ipvs.missing());
    try {
      applier.apply(first);
    } catch (CheckConfigException e) {
      err.println("refused: " + e.getMessage());
      observe.ifPresent(ObserveServer::close);
      stop(engine, false, probers, ipvs);
      notifier.close();
      return Main.REFUSED;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info(
                      flushOnStop
                          ? "stopping: handing the VIPs over, removing the IPVS services we own"
                          : "stopping: handing the VIPs over; IPVS rules stay");
                  observe.ifPresent(ObserveServer::close);
                  stop(engine, flushOnStop, probers, ipvs);
                  notifier.close();
                  stopped.countDown();
                },
                "shutdown"));
    Signal.handle(
        new Signal("HUP"),
        signal -> {
          LOG.info("SIGHUP: reading the configuration again");
          reload
              .get()
              .ifPresentOrElse(
                  next -> {
                    try {
                      applier.apply(next);
                    } catch (CheckConfigException | IpvsMissingException e) {
                      LOG.error("configuration refused, the running one stays: {}", e.getMessage());
                    }
                  },
                  () -> LOG.error("configuration refused, the running one stays"));
        });
    LOG.info("running");
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Main.OK;
  }

  /**
   * The kernel's IPVS table. A kernel without ip_vs can still carry VIPs: a VRRP-only configuration
   * runs on an empty table ({@link AbsentIpvsTable}), as keepalived does; one with virtual servers
   * cannot run.
   */
  private record Ipvs(IpvsTable table, Runnable close, Optional<String> missing) {
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

  /**
   * Applies configurations; the notifier follows each, or goes back to the last one if refused. An
   * applied configuration is recorded in the state directory ({@link LastAppliedConfig}).
   */
  private record Applier(
      DirectorEngine engine, Notifier notifier, Path stateDir, Optional<String> ipvsMissing) {
    void apply(Main.Loaded loaded) throws CheckConfigException {
      NodeConfig config = loaded.node();
      if (ipvsMissing.isPresent() && !config.virtualServers().isEmpty()) {
        throw new IpvsMissingException(ipvsMissing.get());
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
      LastAppliedConfig.save(stateDir, loaded.source(), loaded.text());
    }
  }

  private static void stop(DirectorEngine engine, boolean flush, Probers probers, Ipvs ipvs) {
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
    }
  }
}
