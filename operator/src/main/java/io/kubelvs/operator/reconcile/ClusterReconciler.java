package io.kubelvs.operator.reconcile;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubelvs.api.v1alpha1.AgentLeases;
import io.kubelvs.operator.plan.Plan;
import io.kubelvs.operator.plan.Planner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's one reconcile loop: on any change of DirectorPools, VirtualServices, Nodes,
 * EndpointSlices or Directors, plan the whole cluster from the informers' caches and write only
 * what differs (Directors; status of pools and VirtualServices).
 *
 * <p><b>Why not a java-operator-sdk reconciler per primary resource.</b> The plan is one function
 * of every pool, service, node and slice together: a VirtualService's VIP can conflict with one in
 * another namespace and pool, a node can be claimed by an older pool, and a Director holds the
 * services of many namespaces. A reconciler per DirectorPool or per VirtualService would either
 * re-plan the whole cluster on every call, concurrently, and race with the others writing the same
 * Directors, or need mappers from every secondary event to every primary, which all amounts to
 * "everything". One loop over plain fabric8 informers says what it does: events only mark the plan
 * stale; one thread runs passes, coalescing any burst of events into the next pass; a pass reads
 * consistent caches, so its writes never fight each other. Idempotence comes from writing
 * differences only ({@link DirectorChanges}, {@link StatusChanges}), so a restarted operator with
 * the same inputs writes nothing.
 *
 * <p>No pass runs until every informer has listed its kind: a plan over a half-filled cache would
 * delete the Directors of the nodes it has not seen yet.
 */
public final class ClusterReconciler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterReconciler.class);
  private static final Duration FIRST_RETRY = Duration.ofMillis(500);
  private static final Duration LAST_RETRY = Duration.ofSeconds(30);
  private static final int WRITERS = 8;

  private final KubernetesClient client;
  private final Clock clock;
  private final ReconcileMetrics metrics;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "kubelvs-reconcile");
            t.setDaemon(true);
            return t;
          });

  /** Writes of one pass go out together; the API server's own limits keep this modest. */
  private final ExecutorService writers =
      Executors.newFixedThreadPool(
          WRITERS,
          r -> {
            Thread t = new Thread(r, "kubelvs-write");
            t.setDaemon(true);
            return t;
          });

  private final String agentNamespace;
  private final AtomicBoolean queued = new AtomicBoolean();
  private final AtomicLong passes = new AtomicLong();
  private volatile ClusterCache cache;
  private Duration retry = FIRST_RETRY;

  /** Nodes whose agent's Lease had run out at the last pass; a renewal of one is news. */
  private volatile Set<String> silentAgents = Set.of();

  /** The pass that looks again when the next agent's Lease would run out (loop thread only). */
  private ScheduledFuture<?> expiryCheck;

  /**
   * @param clock the time written into conditions' lastTransitionTime, and that agents' Leases run
   *     out against
   * @param registry where the loop's metrics go
   * @param agentNamespace where the agents renew their heartbeat Leases
   */
  public ClusterReconciler(
      KubernetesClient client, Clock clock, MeterRegistry registry, String agentNamespace) {
    this.client = client;
    this.clock = clock;
    this.metrics = new ReconcileMetrics(registry);
    this.agentNamespace = agentNamespace;
  }

  /** A loop whose metrics are kept but not served, agents in kubelvs-system (tests). */
  public ClusterReconciler(KubernetesClient client, Clock clock) {
    this(client, clock, new SimpleMeterRegistry(), "kubelvs-system");
  }

  /** Starts the informers, waits until their caches are filled, then runs the first pass. */
  public void start() {
    cache = new ClusterCache(client, agentNamespace, this::changed, this::agentLeaseChanged);
    LOG.info("caches synced, reconciling");
    changed();
  }

  /**
   * A renewal is no news while the agent is alive (its Lease running out is: {@link #pass}
   * schedules a look then); it is when the agent had gone silent.
   */
  private void agentLeaseChanged(Lease lease) {
    if (silentAgents.contains(lease.getMetadata().getLabels().get(AgentLeases.NODE_LABEL))) {
      changed();
    }
  }

  /** Something the plan reads changed: a pass runs soon, with whatever else changes meanwhile. */
  private void changed() {
    if (cache != null && !thread.isShutdown() && queued.compareAndSet(false, true)) {
      try {
        thread.execute(this::passFromQueue);
      } catch (RejectedExecutionException e) {
        LOG.debug("change after the loop stopped, ignored");
      }
    }
  }

  /** Runs a pass now, on the loop's thread, and returns when it is done (tests; a sync point). */
  public void reconcileNow() throws InterruptedException {
    try {
      thread.submit(this::pass).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("reconcile pass failed", e.getCause());
    }
  }

  /** Passes run so far. */
  public long passes() {
    return passes.get();
  }

  private void passFromQueue() {
    queued.set(false);
    boolean ok;
    try {
      ok = pass();
    } catch (RuntimeException e) {
      LOG.error("reconcile pass failed error=\"{}\"", e.toString(), e);
      ok = false;
    }
    if (ok) {
      retry = FIRST_RETRY;
    } else {
      if (thread.isShutdown()) {
        return;
      }
      LOG.warn("reconcile pass retried in={}", retry);
      thread.schedule(this::changed, retry.toMillis(), TimeUnit.MILLISECONDS);
      retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
    }
  }

  /** One pass; true when every write that had to happen happened or will be triggered again. */
  private boolean pass() {
    long started = System.nanoTime();
    ClusterSnapshot snapshot = cache.snapshot();
    Plan plan = Planner.plan(snapshot.planInput());
    DirectorChanges directors =
        DirectorChanges.between(plan.directors(), snapshot.directors(), snapshot.pools());
    long decided = System.nanoTime();
    Writes writes = new Writes(client, metrics, writers);
    // The Directors first: they are what the data plane waits for; the statuses can follow.
    writes.directors(directors);
    long directorsWritten = System.nanoTime();
    Instant now = clock.instant();
    // Statuses folded now would not see the Directors just created, and be written again as soon
    // as their events start the next pass: 5,000 writes twice on a first start. Wait for that pass.
    StatusChanges statuses =
        directors.create().isEmpty()
            ? StatusChanges.between(plan, snapshot, now)
            : StatusChanges.none();
    lookAgainAtNextAgentExpiry(snapshot, now);
    writes.statuses(statuses);
    long done = System.nanoTime();
    passes.incrementAndGet();
    metrics.pass(Duration.ofNanos(done - started), plan);
    if (!directors.isEmpty()) {
      metrics.directorsWritten(Duration.ofNanos(directorsWritten - started));
    }
    if (!directors.isEmpty() || !statuses.isEmpty()) {
      LOG.info(
          "reconciled directorsCreated={} directorsUpdated={} directorsDeleted={}"
              + " poolStatuses={} serviceStatuses={} failures={}"
              + " planMs={} directorWriteMs={} statusMs={} ms={}",
          directors.create().size(),
          directors.update().size(),
          directors.delete().size(),
          statuses.pools().size(),
          statuses.virtualServices().size(),
          writes.failures(),
          millis(decided - started),
          millis(directorsWritten - decided),
          millis(done - directorsWritten),
          millis(done - started));
    }
    return writes.failures() == 0;
  }

  private void lookAgainAtNextAgentExpiry(ClusterSnapshot snapshot, Instant now) {
    silentAgents = Set.copyOf(snapshot.silentAgents(now).keySet());
    if (expiryCheck != null) {
      expiryCheck.cancel(false);
    }
    expiryCheck =
        snapshot
            .nextAgentExpiry(now)
            .map(
                at ->
                    thread.schedule(
                        this::changed,
                        Duration.between(now, at).toMillis() + 1,
                        TimeUnit.MILLISECONDS))
            .orElse(null);
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }

  /**
   * Stops the informers, lets a running pass finish its writes (a half-written pass is harmless,
   * the next operator finishes it, but a finished one is quieter), then stops the loop.
   */
  @Override
  public void close() {
    if (cache != null) {
      cache.close();
    }
    thread.shutdown();
    try {
      if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      // No pass runs any more (or it was interrupted): its writers have nothing left to send.
      writers.shutdownNow();
    }
  }
}
