package io.kubelvs.agent.check;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the checks of one real server on the timer thread: starts an attempt when it is due, takes
 * its result back onto the timer thread, hands it to the {@link RealServerHealth} state machine,
 * and schedules the next attempt. At most one attempt is outstanding; one that does not complete by
 * its deadline counts as failed, and whatever it reports later is ignored, so a server that never
 * answers cannot wedge its own checks nor delay anyone else's.
 *
 * <p>Per attempt this costs two timer entries (the deadline and the next check) and the future's
 * callback; the state itself is a few fields, whatever the number of attempts.
 */
final class RealServerChecker {
  private static final Logger log = LoggerFactory.getLogger(RealServerChecker.class);

  /** Told about every completed check that changed something. */
  interface Listener {
    /**
     * @param previousWeight the server's weight before the result (a check may change it)
     */
    void onHealthChange(
        RealServerChecker checker, RealServerHealth.Change change, int previousWeight);
  }

  /**
   * Our own deadline is twice the attempt's timeout plus this: a prober's own timeouts (connect,
   * each read, misc_timeout) end every attempt well before; this one only catches a prober that
   * lost its future.
   */
  static final Duration DEADLINE_MARGIN = Duration.ofSeconds(1);

  private static final CheckTimer.Cancellable NOTHING = () -> {};

  private final CheckContext context;
  private final Listener listener;
  private final RealServerHealth health;
  private final Prober prober;
  private final ProbeTarget target;
  private final Duration deadline;
  private RealServerCheck config;
  private CheckTimer.Cancellable nextCheck = NOTHING;
  private CheckTimer.Cancellable deadlineTimer = NOTHING;
  private long attempt;
  private boolean inFlight;
  private long startedAt;

  /** When the current or last attempt was due: the server's phase. */
  private long dueAt;

  private boolean stopped;

  RealServerChecker(
      RealServerCheck config, RealServerHealth health, CheckContext context, Listener listener) {
    this.config = config;
    this.health = health;
    this.context = context;
    this.listener = listener;
    this.target = config.probeTarget();
    this.prober = config.check().map(method -> proberFor(method, context)).orElse(null);
    this.deadline = config.check().map(m -> attemptDeadline(m, config.timing())).orElse(null);
  }

  /**
   * The prober of {@code method}. A factory that cannot give one is a wiring bug; rather than leave
   * a configuration half applied, the server is checked by a prober that always fails and says why,
   * so the operator sees it in the server's status.
   */
  private static Prober proberFor(CheckMethod method, CheckContext context) {
    try {
      return Objects.requireNonNull(context.probers().forMethod(method), "no prober returned");
    } catch (RuntimeException e) {
      log.error("no prober for method={}; its servers will be reported down", method, e);
      ProbeResult failure =
          ProbeResult.down("cannot run " + method.keepalivedName() + ": " + e.getMessage());
      return target -> CompletableFuture.completedFuture(failure);
    }
  }

  /** The deadline of one attempt of {@code method}. */
  static Duration attemptDeadline(CheckMethod method, CheckTiming timing) {
    Duration bound = method instanceof MiscCheck misc ? misc.timeout() : timing.connectTimeout();
    return bound.multipliedBy(2).plus(DEADLINE_MARGIN);
  }

  /**
   * Starts checking after a random delay in [0, warmup] (keepalived check_api.c
   * register_checkers_thread: "wait for a random timeout to begin checker thread"). The warmup
   * spreads the first checks of many servers uniformly; each then keeps its own phase. keepalived
   * adds a fixed BOOTSTRAP_DELAY of one second for its own startup, which we do not need.
   */
  void start() {
    if (prober == null) {
      return;
    }
    long warmup = config.timing().effectiveWarmup().toNanos();
    long firstDelay = warmup <= 0 ? 0 : context.random().nextLong(warmup + 1);
    dueAt = context.timer().nanoTime() + firstDelay;
    nextCheck = context.timer().schedule(this::check, firstDelay);
  }

  /** Stops for good: no further attempts, and a result still on its way is ignored. */
  void stop() {
    stopped = true;
    nextCheck.cancel();
    deadlineTimer.cancel();
  }

  /** Takes a new weight or inhibit_on_failure; the check itself must be the same. */
  void reconfigure(RealServerCheck sameCheck) {
    this.config = sameCheck;
  }

  private void check() {
    if (stopped) {
      return;
    }
    long current = ++attempt;
    inFlight = true;
    startedAt = context.timer().nanoTime();
    deadlineTimer = context.timer().schedule(() -> onDeadline(current), deadline.toNanos());
    CompletableFuture<ProbeResult> result;
    try {
      result = prober.probe(target);
    } catch (RuntimeException e) {
      result = CompletableFuture.completedFuture(ProbeResult.down("check failed: " + e));
    }
    if (result == null) {
      result = CompletableFuture.completedFuture(ProbeResult.down("check failed: no result"));
    }
    result.whenComplete(
        (outcome, error) -> context.timer().execute(() -> onCompletion(current, outcome, error)));
  }

  private void onCompletion(long completedAttempt, ProbeResult outcome, Throwable error) {
    if (stopped || !inFlight || completedAttempt != attempt) {
      return;
    }
    deadlineTimer.cancel();
    finish(asResult(outcome, error), context.timer().nanoTime() - startedAt);
  }

  private void onDeadline(long expiredAttempt) {
    if (stopped || !inFlight || expiredAttempt != attempt) {
      return;
    }
    finish(ProbeResult.down("no answer within " + DurationText.of(deadline)), deadline.toNanos());
  }

  private void finish(ProbeResult result, long latencyNanos) {
    inFlight = false;
    int previousWeight = weight();
    RealServerHealth.Change change = health.record(result, latencyNanos, context.now());
    nextCheck = context.timer().schedule(this::check, nextDelay());
    if (change != RealServerHealth.Change.NONE || weight() != previousWeight) {
      listener.onHealthChange(this, change, previousWeight);
    }
  }

  /**
   * A retry waits delay_before_retry from the failed attempt's end, as in keepalived. The regular
   * check keeps the server's phase: it is due one interval after the previous one was DUE (a fixed
   * rate), not after it ended as keepalived's delay_loop is, nor after it started. With
   * keepalived's rule slow answers stretch every period, and one stall of the loop (a burst of
   * answers, a pause) lines many servers' checks up into the same instant for good; measured with
   * 10,000 servers (hack/bench-checks.sh), the down decisions of servers failing at one moment
   * landed within 10 ms of each other, 2.4 s later, and the rate was 5,059 checks/s against 6,478
   * when each check was due one interval after the previous one started. Counting from the start
   * still let every moment the loop was late push the phase back for good (9,735 checks/s of
   * 10,000); counting from the due time the rate stays 1/interval. A check that took longer than
   * the interval is followed at once, and the phase restarts there rather than catching up with a
   * burst.
   */
  private long nextDelay() {
    long delay = health.nextDelayNanos();
    long now = context.timer().nanoTime();
    if (health.nextIsRetry()) {
      dueAt = now + delay;
    } else {
      dueAt += delay;
      if (dueAt - now < 0) {
        // Slots already past are skipped, not run in a burst; the phase stays.
        dueAt += ((now - dueAt) / delay + 1) * delay;
      }
    }
    return dueAt - now;
  }

  private static ProbeResult asResult(ProbeResult outcome, Throwable error) {
    if (error != null) {
      Throwable cause =
          error instanceof CompletionException && error.getCause() != null
              ? error.getCause()
              : error;
      return ProbeResult.down("check failed: " + cause);
    }
    return outcome != null ? outcome : ProbeResult.down("check failed: the prober gave no result");
  }

  InetSocketAddress address() {
    return config.realServer();
  }

  RealServerCheck config() {
    return config;
  }

  RealServerHealth health() {
    return health;
  }

  boolean up() {
    return health.up();
  }

  /** The weight the server has when up. */
  int weight() {
    return health.weight(config.weight());
  }

  HealthSnapshot.RealServer snapshot() {
    return new HealthSnapshot.RealServer(
        address(),
        up(),
        weight(),
        health.lastReason(),
        health.since(),
        health.lastLatency(),
        health.checks());
  }
}
