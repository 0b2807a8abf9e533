package io.kubelvs.agent.engine;

import io.kubelvs.agent.check.CheckConfigException;
import io.kubelvs.agent.check.CheckConfigValidator;
import io.kubelvs.agent.check.CheckTimer;
import io.kubelvs.agent.check.DesiredDestinations;
import io.kubelvs.agent.check.HealthChecker;
import io.kubelvs.agent.check.HealthEvent;
import io.kubelvs.agent.check.HealthListener;
import io.kubelvs.agent.check.HealthSnapshot;
import io.kubelvs.agent.check.ProberFactory;
import io.kubelvs.agent.check.VirtualServerChecks;
import io.kubelvs.agent.config.VirtualServerConfig;
import io.kubelvs.agent.ipvs.IpvsReconciler;
import io.kubelvs.agent.ipvs.ReconcileResult;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LVS half of a director: runs the health checks of the node's virtual servers and keeps the
 * kernel's IPVS table at what they decide ({@link DesiredServices} into the {@link
 * IpvsReconciler}).
 *
 * <p>One thread owns the engine's state. The checker's decisions are handed to it; every change
 * queues one reconcile, and changes that arrive before it runs share it. A reconcile the kernel
 * refuses (or a netlink failure) is retried after 1 s, doubling up to 30 s, until one succeeds; the
 * table stays as the last pass left it meanwhile. Closing stops the checks and leaves the IPVS
 * table as it is: rules are never flushed on stop.
 */
public final class LvsEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LvsEngine.class);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration LAST_RETRY = Duration.ofSeconds(30);
  private static final long CLOSE_TIMEOUT_SECONDS = 10;

  private final IpvsReconciler reconciler;
  private final Consumer<HealthEvent> events;
  private final ScheduledExecutorService thread;
  private final HealthChecker checker;

  // Owned by the engine's thread.
  private List<VirtualServerConfig> virtualServers = List.of();
  private final Map<String, DesiredDestinations> decisions = new HashMap<>();
  private boolean reconcileQueued;
  private Duration retryDelay = FIRST_RETRY;
  private volatile Outcome lastOutcome = new Outcome(Optional.empty(), Optional.empty());

  /**
   * What the last reconcile did: its result, or why it failed (it is being retried).
   *
   * @param result the last successful pass
   * @param failure the message of the last pass if it failed, empty once one succeeds
   */
  public record Outcome(Optional<ReconcileResult> result, Optional<String> failure) {}

  /**
   * @param events every health event (server up/down, quorum), on the checker's thread: for status
   *     and notifications; keep it short
   */
  public LvsEngine(
      IpvsReconciler reconciler,
      CheckTimer timer,
      ProberFactory probers,
      InstantSource clock,
      RandomGenerator random,
      Consumer<HealthEvent> events) {
    this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
    this.events = Objects.requireNonNull(events, "events");
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lvs-engine");
              t.setDaemon(true);
              return t;
            });
    this.checker = new HealthChecker(timer, probers, clock, random, new Decisions());
  }

  /**
   * Makes {@code configuration} the node's virtual servers: checks of unchanged real servers go on
   * with their history, new ones start, removed ones stop, and the IPVS table follows. A
   * configuration whose checks are invalid is refused whole, before anything changes.
   *
   * @throws CheckConfigException naming every invalid field
   */
  public void apply(List<VirtualServerConfig> configuration) throws CheckConfigException {
    List<VirtualServerConfig> config = List.copyOf(configuration);
    List<VirtualServerChecks> checks = config.stream().map(VirtualServerConfig::checks).toList();
    CheckConfigValidator.requireValid(checks);
    // The new list is in place before the checker reports on the new virtual servers, and the
    // reconcile is queued only after those reports: a reconcile before them would program a new
    // (or, after a restart, an adopted) service with no destinations at all.
    onThread(
        () -> {
          virtualServers = config;
          Set<String> ids = new HashSet<>();
          config.forEach(vs -> ids.add(vs.checks().id()));
          decisions.keySet().retainAll(ids);
        });
    checker.apply(checks);
    // The checker's reports were handed to this thread while it applied, so they run first.
    onThread(this::queueReconcile);
  }

  /**
   * What the checks know now: every virtual server's real servers with their state, last result and
   * latency; quorum and sorry server. Waits for the checker's thread.
   *
   * @throws IllegalStateException when the checker's thread does not answer
   */
  public HealthSnapshot health() {
    return checker.snapshot();
  }

  /** What the last reconcile did, for status. */
  public Outcome lastOutcome() {
    return lastOutcome;
  }

  /** Stops the checks and the engine's thread; the IPVS table stays as it is. */
  @Override
  public void close() {
    checker.close();
    stopThread();
  }

  /**
   * keepalived's lvs_flush_on_stop: stops the checks, removes every IPVS service this agent owns
   * (services it did not create stay), and stops.
   *
   * @throws IllegalStateException when the kernel refused the removal (the engine is stopped
   *     anyway)
   */
  public void flushAndClose() {
    checker.close();
    try {
      onThread(
          () -> {
            virtualServers = List.of();
            decisions.clear();
            lastOutcome =
                new Outcome(Optional.of(reconciler.reconcile(List.of())), Optional.empty());
          });
    } finally {
      stopThread();
    }
  }

  private void stopThread() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void queueReconcile() {
    if (!reconcileQueued) {
      reconcileQueued = true;
      thread.execute(this::reconcile);
    }
  }

  private void reconcile() {
    reconcileQueued = false;
    try {
      ReconcileResult result = reconciler.reconcile(DesiredServices.of(virtualServers, decisions));
      retryDelay = FIRST_RETRY;
      lastOutcome = new Outcome(Optional.of(result), Optional.empty());
    } catch (RuntimeException e) {
      // IpvsReconcileException, IpvsException: the kernel refused, or netlink failed as a whole.
      lastOutcome = new Outcome(lastOutcome.result(), Optional.of(String.valueOf(e.getMessage())));
      LOG.warn(
          "ipvs reconcile failed, retrying retry_in=\"{}\" error=\"{}\"",
          retryDelay,
          e.getMessage(),
          e);
      reconcileQueued = true;
      thread.schedule(this::reconcile, retryDelay.toMillis(), TimeUnit.MILLISECONDS);
      retryDelay =
          retryDelay.multipliedBy(2).compareTo(LAST_RETRY) > 0
              ? LAST_RETRY
              : retryDelay.multipliedBy(2);
    }
  }

  private void onThread(Runnable work) {
    try {
      thread.submit(work).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while applying a configuration", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "the LVS engine failed to take a configuration", e.getCause());
    }
  }

  /** The checker's listener: decisions go to the engine's thread, events to the sink. */
  private final class Decisions implements HealthListener {
    @Override
    public void onDestinations(DesiredDestinations destinations) {
      thread.execute(
          () -> {
            boolean configured =
                virtualServers.stream()
                    .anyMatch(vs -> vs.checks().id().equals(destinations.virtualServer()));
            if (configured) {
              decisions.put(destinations.virtualServer(), destinations);
            } else {
              decisions.remove(destinations.virtualServer());
            }
            queueReconcile();
          });
    }

    @Override
    public void onEvent(HealthEvent event) {
      events.accept(event);
    }
  }
}
