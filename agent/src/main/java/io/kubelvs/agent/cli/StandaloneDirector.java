package io.kubelvs.agent.cli;

import io.kubelvs.agent.check.CheckConfigException;
import io.kubelvs.agent.observe.ObserveServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
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
    DirectorParts.Ipvs ipvs = DirectorParts.Ipvs.open();
    if (ipvs.missing().isPresent() && !first.node().virtualServers().isEmpty()) {
      err.println("cannot run the director: " + ipvs.missing().get());
      return Main.CANNOT_RUN;
    }
    DirectorParts parts = DirectorParts.start(ipvs, stateDir);
    Optional<ObserveServer> observe =
        ObserveServer.startIfEnabled(http, parts.engine, parts.counters());
    try {
      apply(parts, first, stateDir);
    } catch (CheckConfigException e) {
      err.println("refused: " + e.getMessage());
      observe.ifPresent(ObserveServer::close);
      parts.stop(false);
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
                  parts.stop(flushOnStop);
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
                      apply(parts, next, stateDir);
                    } catch (CheckConfigException | DirectorParts.IpvsMissingException e) {
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

  /** Applies {@code loaded} and records it in the state directory ({@link LastAppliedConfig}). */
  private static void apply(DirectorParts parts, Main.Loaded loaded, Path stateDir)
      throws CheckConfigException {
    parts.apply(loaded.node());
    LastAppliedConfig.save(stateDir, loaded.source(), loaded.text());
  }
}
