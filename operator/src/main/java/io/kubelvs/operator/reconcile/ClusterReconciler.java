package io.kubelvs.operator.reconcile;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubelvs.api.v1alpha1.AgentLeases;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.VipAllocation;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
import io.kubelvs.operator.plan.Allocations;
import io.kubelvs.operator.plan.Plan;
import io.kubelvs.operator.plan.PlanMemo;
import io.kubelvs.operator.plan.Planner;
import io.kubelvs.operator.status.StatusFolds;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
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
 * The operator's reconcile loops: on a change of what the plan reads (DirectorPools,
 * VirtualServices, Nodes, EndpointSlices, Directors' specs), plan the whole cluster from the
 * informers' caches and write the Directors that differ; after every plan, and on a change of what
 * only the status reads (the agents' reports and heartbeats), fold the status of pools and
 * VirtualServices and write what differs.
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
 * <p><b>Why the status has a loop of its own.</b> The Directors are what the data plane waits for;
 * folding 5,000 statuses takes longer than planning them, and in one loop a change arriving while
 * the last one's statuses were folded waited for them. The status loop runs at most every {@link
 * #STATUS_INTERVAL}, with the latest plan and fresh caches, so a burst of agent reports is folded
 * once, and a status lags its cause by at most the interval plus a fold.
 *
 * <p>Events this operator's own writes cause start nothing ({@link OwnWrites}): each change would
 * otherwise plan again once per Director it rewrote. A pass reads its own Director writes back even
 * before the informer delivers them.
 *
 * <p>No pass runs until every informer has listed its kind: a plan over a half-filled cache would
 * delete the Directors of the nodes it has not seen yet.
 */
public final class ClusterReconciler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterReconciler.class);
  private static final Duration FIRST_RETRY = Duration.ofMillis(500);
  private static final Duration LAST_RETRY = Duration.ofSeconds(30);

  /** The least time between two status passes. */
  static final Duration STATUS_INTERVAL = Duration.ofMillis(250);

  /** A 409 means the cache is behind; the pass runs again after this, when it has caught up. */
  private static final Duration AFTER_CONFLICT = Duration.ofMillis(100);

  /** How long statuses wait for the Directors a plan created to reach the cache. */
  private static final Duration CREATED_GRACE = Duration.ofSeconds(10);

  private static final int WRITERS = 8;

  private final KubernetesClient client;
  private final Clock clock;
  private final ReconcileMetrics metrics;
  private final ScheduledExecutorService thread = daemonThread("kubelvs-reconcile");
  private final ScheduledExecutorService statusThread = daemonThread("kubelvs-status");

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
  private final OwnWrites own = new OwnWrites();

  /** What the last plan pass built and compared of the same objects (plan thread only). */
  private final PassMemo compared = new PassMemo();

  /** The last status pass's folds (status thread only). */
  private final StatusFolds folds = new StatusFolds();

  /** What the last plan computed per pool (plan thread only). */
  private final PlanMemo memo = new PlanMemo();

  private final AtomicBoolean queued = new AtomicBoolean();
  private final AtomicBoolean statusQueued = new AtomicBoolean();
  private final AtomicLong passes = new AtomicLong();
  private volatile ClusterCache cache;
  private Duration retry = FIRST_RETRY;
  private Duration statusRetry = FIRST_RETRY;

  /** The last plan, and the Directors it created (statuses wait for them to be cached). */
  private volatile Planned planned;

  /** When the last status pass started. */
  private volatile long lastStatusPass = System.nanoTime() - STATUS_INTERVAL.toNanos();

  /** Nodes whose agent's Lease had run out at the last status pass; a renewal of one is news. */
  private volatile Set<String> silentAgents = Set.of();

  /** The pass that looks again when the next agent's Lease would run out (status thread only). */
  private ScheduledFuture<?> expiryCheck;

  private record Planned(Plan plan, Set<String> created, long at) {}

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
    cache =
        new ClusterCache(
            client,
            agentNamespace,
            this::planChanged,
            this::statusChanged,
            this::agentLeaseChanged,
            own);
    LOG.info("caches synced, reconciling");
    planChanged();
  }

  /**
   * A renewal is no news while the agent is alive (its Lease running out is: the status pass
   * schedules a look then); it is when the agent had gone silent.
   */
  private void agentLeaseChanged(Lease lease) {
    if (silentAgents.contains(lease.getMetadata().getLabels().get(AgentLeases.NODE_LABEL))) {
      statusChanged();
    }
  }

  /** Something the plan reads changed: a pass runs soon, with whatever else changes meanwhile. */
  private void planChanged() {
    queue(thread, queued, this::passFromQueue, Duration.ZERO);
  }

  /** Something only a status reads changed: a status pass runs within the interval. */
  private void statusChanged() {
    long wait = lastStatusPass + STATUS_INTERVAL.toNanos() - System.nanoTime();
    queue(
        statusThread, statusQueued, this::statusPassFromQueue, Duration.ofNanos(Math.max(0, wait)));
  }

  private void queue(
      ScheduledExecutorService loop, AtomicBoolean flag, Runnable pass, Duration after) {
    if (cache != null && !loop.isShutdown() && flag.compareAndSet(false, true)) {
      try {
        loop.schedule(pass, after.toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        LOG.debug("change after the loop stopped, ignored");
      }
    }
  }

  /**
   * Runs a pass now, then a status pass, and returns when both are done (tests; a sync point). The
   * status pass does not wait for Directors the pass created to reach the cache.
   */
  public void reconcileNow() throws InterruptedException {
    try {
      thread.submit(this::pass).get();
      statusThread.submit(() -> statusPass(true)).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("reconcile pass failed", e.getCause());
    }
  }

  /** Plan passes run so far. */
  public long passes() {
    return passes.get();
  }

  private void passFromQueue() {
    queued.set(false);
    Outcome outcome;
    try {
      outcome = pass();
    } catch (RuntimeException e) {
      LOG.error("reconcile pass failed error=\"{}\"", e.toString(), e);
      outcome = Outcome.FAILED;
    }
    retry = again(outcome, retry, thread, this::planChanged, "reconcile");
  }

  private void statusPassFromQueue() {
    statusQueued.set(false);
    Outcome outcome;
    try {
      outcome = statusPass(false);
    } catch (RuntimeException e) {
      LOG.error("status pass failed error=\"{}\"", e.toString(), e);
      outcome = Outcome.FAILED;
    }
    statusRetry = again(outcome, statusRetry, statusThread, this::statusChanged, "status");
  }

  private enum Outcome {
    DONE,
    CONFLICT,
    FAILED
  }

  /** Schedules the pass again after a conflict or a failure; returns the next back-off. */
  private static Duration again(
      Outcome outcome,
      Duration backOff,
      ScheduledExecutorService loop,
      Runnable changed,
      String what) {
    if (loop.isShutdown()) {
      return backOff;
    }
    switch (outcome) {
      case DONE:
        return FIRST_RETRY;
      case CONFLICT:
        loop.schedule(changed, AFTER_CONFLICT.toMillis(), TimeUnit.MILLISECONDS);
        return backOff;
      default:
        LOG.warn("{} pass retried in={}", what, backOff);
        loop.schedule(changed, backOff.toMillis(), TimeUnit.MILLISECONDS);
        Duration next = backOff.multipliedBy(2);
        return next.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : next;
    }
  }

  /**
   * One plan pass: plans, writes the VirtualServerSets that differ, then the Directors that differ
   * (see {@link VirtualServerSets#referencing}), then deletes the sets no Director names any more,
   * and has the statuses folded. A Director never names a set generation the API server has not
   * answered: if a set write fails, the pass writes no Director and runs again.
   */
  private Outcome pass() {
    try {
      return planAndWrite();
    } finally {
      compared.passDone();
    }
  }

  private Outcome planAndWrite() {
    long started = System.nanoTime();
    ClusterSnapshot snapshot = cache.snapshot();
    Planned last = planned;
    Plan plan =
        Planner.plan(
            snapshot.planInput(last == null ? Allocations.none() : allocations(last.plan())), memo);
    SortedMap<String, VirtualServerSet> desiredSets =
        VirtualServerSets.desired(plan.directors(), snapshot.pools(), compared);
    List<VirtualServerSet> cachedSets =
        own.overlay(VirtualServerSet.class, snapshot.virtualServerSets());
    SetChanges sets = SetChanges.between(desiredSets, cachedSets, compared);
    long decided = System.nanoTime();
    Writes writes = new Writes(client, metrics, writers, own);
    Map<String, Long> generations = new HashMap<>();
    cachedSets.forEach(
        s -> {
          if (s.getMetadata().getGeneration() != null) {
            generations.put(s.getMetadata().getName(), s.getMetadata().getGeneration());
          }
        });
    generations.putAll(writes.sets(sets));
    if (writes.failures() > 0 || writes.conflicts() > 0) {
      LOG.info(
          "sets not all written, Directors wait for the next pass failures={} conflicts={}",
          writes.failures(),
          writes.conflicts());
      return outcome(writes);
    }
    long setsWritten = System.nanoTime();
    Map<String, VirtualServerSet> before = VirtualServerSets.byName(cachedSets);
    List<Director> cachedDirectors = own.overlay(snapshot.directors());
    Map<String, Director> directorByName = new HashMap<>();
    cachedDirectors.forEach(d -> directorByName.put(d.getMetadata().getName(), d));
    DirectorChanges directors =
        DirectorChanges.between(
            VirtualServerSets.referencing(
                plan.directors(), desiredSets, generations, directorByName, compared),
            cachedDirectors,
            snapshot.pools(),
            compared);
    writes.directors(
        directors,
        u ->
            DirectorPatch.servicesChanged(
                VirtualServerSets.resolved(u.cached().getSpec(), before),
                plan.directors().get(u.planned().getMetadata().getName())));
    if (writes.failures() == 0 && writes.conflicts() == 0) {
      writes.deleteSets(sets.delete());
    }
    long directorsWritten = System.nanoTime();
    Set<String> created = new HashSet<>();
    directors.create().forEach(d -> created.add(d.getMetadata().getName()));
    planned = new Planned(plan, created, System.nanoTime());
    passes.incrementAndGet();
    metrics.pass(Duration.ofNanos(directorsWritten - started), plan);
    if (!directors.isEmpty() || !sets.isEmpty()) {
      metrics.directorsWritten(Duration.ofNanos(directorsWritten - started));
      LOG.info(
          "reconciled setsCreated={} setsUpdated={} setsDeleted={} directorsCreated={}"
              + " directorsUpdated={} directorsDeleted={} failures={} conflicts={} planMs={}"
              + " setWriteMs={} directorWriteMs={}",
          sets.create().size(),
          sets.update().size(),
          sets.delete().size(),
          directors.create().size(),
          directors.update().size(),
          directors.delete().size(),
          writes.failures(),
          writes.conflicts(),
          millis(decided - started),
          millis(setsWritten - decided),
          millis(directorsWritten - setsWritten));
    }
    statusChanged();
    return outcome(writes);
  }

  private static Outcome outcome(Writes writes) {
    if (writes.failures() > 0) {
      return Outcome.FAILED;
    }
    return writes.conflicts() > 0 ? Outcome.CONFLICT : Outcome.DONE;
  }

  /** Each pool's allocations as a plan made them: the freshest memory for the next plan. */
  private static Allocations allocations(Plan plan) {
    Map<String, List<VipAllocation>> byPool = new HashMap<>();
    plan.pools().forEach((name, outcome) -> byPool.put(name, outcome.allocations()));
    return new Allocations(byPool);
  }

  /**
   * One status pass: folds the last plan and the cached Directors (with this operator's writes read
   * back) into the status of pools and VirtualServices, and writes what differs.
   *
   * @param now whether to fold even while Directors the plan created are not cached yet; else the
   *     pass waits for them (their events start it again), so that a first start does not write
   *     5,000 statuses twice
   */
  private Outcome statusPass(boolean now) {
    Planned last = planned;
    if (last == null) {
      return Outcome.DONE;
    }
    lastStatusPass = System.nanoTime();
    long started = System.nanoTime();
    ClusterSnapshot cached = cache.snapshot();
    if (!now
        && !last.created().isEmpty()
        && System.nanoTime() - last.at() < CREATED_GRACE.toNanos()) {
      Set<String> names = new HashSet<>();
      cached.directors().forEach(d -> names.add(d.getMetadata().getName()));
      if (!names.containsAll(last.created())) {
        LOG.debug("statuses wait for the created Directors to be cached");
        statusThread.schedule(this::statusChanged, CREATED_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        return Outcome.DONE;
      }
    }
    ClusterSnapshot snapshot =
        new ClusterSnapshot(
            cached.pools(),
            cached.virtualServices(),
            cached.nodes(),
            cached.endpointSlices(),
            own.overlay(cached.directors()),
            own.overlay(VirtualServerSet.class, cached.virtualServerSets()),
            cached.agentLeases());
    Instant at = clock.instant();
    StatusChanges statuses = StatusChanges.between(last.plan(), snapshot, at, own, folds);
    lookAgainAtNextAgentExpiry(snapshot, at);
    long foldedAt = System.nanoTime();
    Writes writes = new Writes(client, metrics, writers, own);
    writes.statuses(statuses);
    if (!statuses.isEmpty()) {
      LOG.info(
          "statuses poolStatuses={} serviceStatuses={} failures={} conflicts={} foldMs={}"
              + " folded={} statusWriteMs={}",
          statuses.pools().size(),
          statuses.virtualServices().size(),
          writes.failures(),
          writes.conflicts(),
          millis(foldedAt - started),
          folds.foldedLastPass(),
          millis(System.nanoTime() - foldedAt));
    }
    return outcome(writes);
  }

  private void lookAgainAtNextAgentExpiry(ClusterSnapshot snapshot, Instant now) {
    silentAgents = Set.copyOf(snapshot.silentAgents(now).keySet());
    if (expiryCheck != null) {
      expiryCheck.cancel(false);
    }
    try {
      expiryCheck =
          snapshot
              .nextAgentExpiry(now)
              .map(
                  at ->
                      statusThread.schedule(
                          this::statusChanged,
                          Duration.between(now, at).toMillis() + 1,
                          TimeUnit.MILLISECONDS))
              .orElse(null);
    } catch (RejectedExecutionException e) {
      expiryCheck = null; // closing: nobody is left to look
    }
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }

  /**
   * Stops the informers, lets running passes finish their writes (a half-written pass is harmless,
   * the next operator finishes it, but a finished one is quieter), then stops the loops.
   */
  @Override
  public void close() {
    if (cache != null) {
      cache.close();
    }
    thread.shutdown();
    statusThread.shutdown();
    try {
      if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
      if (!statusThread.awaitTermination(10, TimeUnit.SECONDS)) {
        statusThread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      statusThread.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      // No pass runs any more (or it was interrupted): its writers have nothing left to send.
      writers.shutdownNow();
    }
  }

  private static ScheduledExecutorService daemonThread(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }
}
