package io.kubelvs.operator.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.kubelvs.operator.reconcile.ClusterReconciler;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator as a process: probes and metrics, a Lease so that of two replicas only one writes,
 * and the reconcile loop, run while this replica leads.
 *
 * <p>A replica that loses its Lease cannot know whether another one already writes; it stops its
 * loop and calls {@code onLostLeadership} (the Main exits, the Deployment starts it afresh, and it
 * stands by until it wins the Lease again). On {@link #close()} the Lease is released, so a standby
 * takes over at once instead of after the lease duration.
 */
public final class OperatorProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorProcess.class);

  /**
   * @param leaseNamespace namespace of the Lease (the operator's own), and of the agents' heartbeat
   *     Leases
   * @param identity this replica's name in the Lease (the pod name)
   * @param probes where /healthz, /readyz and /metrics listen
   * @param leaderElection false runs the loop at once (one replica only, or development)
   */
  public record Settings(
      String leaseNamespace,
      String leaseName,
      String identity,
      InetSocketAddress probes,
      boolean leaderElection,
      Duration leaseDuration,
      Duration renewDeadline,
      Duration retryPeriod) {

    /** client-go's defaults for leader election: 15 s lease, 10 s renew deadline, 2 s retry. */
    public static Settings defaults(
        String leaseNamespace, String identity, InetSocketAddress probes, boolean leaderElection) {
      return new Settings(
          leaseNamespace,
          "kubelvs-operator",
          identity,
          probes,
          leaderElection,
          Duration.ofSeconds(15),
          Duration.ofSeconds(10),
          Duration.ofSeconds(2));
    }
  }

  private final KubernetesClient client;
  private final Settings settings;
  private final Runnable onLostLeadership;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ClusterReconciler reconciler;
  private final AtomicBoolean ready = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  private ProbeServer probes;
  private CompletableFuture<?> election;

  public OperatorProcess(
      KubernetesClient client, Settings settings, Clock clock, Runnable onLostLeadership) {
    this.client = client;
    this.settings = settings;
    this.onLostLeadership = onLostLeadership;
    this.reconciler = new ClusterReconciler(client, clock, registry, settings.leaseNamespace());
  }

  /** Serves the probes, then leads (or waits to) and runs the loop while leading. */
  public void start() throws IOException {
    probes = new ProbeServer(settings.probes(), ready::get, registry);
    LOG.info("probes listening port={}", probes.port());
    if (!settings.leaderElection()) {
      lead();
      return;
    }
    election =
        client
            .leaderElector()
            .withConfig(
                new LeaderElectionConfigBuilder()
                    .withName(settings.leaseName())
                    .withLock(
                        new LeaseLock(
                            settings.leaseNamespace(), settings.leaseName(), settings.identity()))
                    .withLeaseDuration(settings.leaseDuration())
                    .withRenewDeadline(settings.renewDeadline())
                    .withRetryPeriod(settings.retryPeriod())
                    .withReleaseOnCancel(true)
                    .withLeaderCallbacks(
                        new LeaderCallbacks(
                            () -> new Thread(this::lead, "kubelvs-lead").start(),
                            this::stoppedLeading,
                            leader -> LOG.info("leader is identity={}", leader)))
                    .build())
            .build()
            .start();
    LOG.info(
        "waiting for the lease lease={}/{} identity={}",
        settings.leaseNamespace(),
        settings.leaseName(),
        settings.identity());
  }

  private void lead() {
    LOG.info("leading, starting the reconcile loop identity={}", settings.identity());
    try {
      reconciler.start();
    } catch (RuntimeException e) {
      LOG.error("cannot start the reconcile loop error=\"{}\"", e.toString(), e);
      onLostLeadership.run();
      return;
    }
    ready.set(true);
  }

  private void stoppedLeading() {
    ready.set(false);
    if (!closing.get()) {
      LOG.error("lost the lease, stopping identity={}", settings.identity());
      reconciler.close();
      onLostLeadership.run();
    }
  }

  /** This replica leads and its caches are synced. */
  public boolean ready() {
    return ready.get();
  }

  public int probePort() {
    return probes.port();
  }

  /** Stops the loop, releases the Lease, stops the probes: a graceful shutdown. */
  @Override
  public void close() {
    closing.set(true);
    ready.set(false);
    reconciler.close();
    if (election != null) {
      election.cancel(true);
    }
    if (probes != null) {
      probes.close();
    }
    LOG.info("stopped identity={}", settings.identity());
  }
}
