package io.kubelvs.agent.check;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the checks of one real server concluded, and when the next check is due: keepalived's
 * checker state (is_up, has_run, retry_it) and its epilog rules, without any I/O or timer. The
 * rules, from keepalived 2.x check_tcp.c tcp_epilog and check_http.c epilog / timeout_epilog:
 *
 * <ul>
 *   <li>A success makes the server up at once and the next check follows after delay_loop.
 *   <li>A failure of an up server is retried after delay_before_retry while retries are left;
 *       {@code retry} retries means {@code retry + 1} failures in a row take it down.
 *   <li>At daemon start one failure is enough (check_data.c: "For non alpha mode, one failure is
 *       enough initially"); a server added by a later configuration gets all its retries.
 *   <li>A server known down is not retried (check_http.c: "do not retry if server is already known
 *       as dead"): its next check follows after the longer of delay_loop and delay_before_retry.
 *       keepalived's TCP_CHECK alone goes on retrying a down server at delay_before_retry; one rule
 *       serves every method here, HTTP_GET's, as it spares servers that are known down.
 * </ul>
 *
 * <p>Owned by one thread (the checker's timer thread); not thread-safe.
 */
final class RealServerHealth {

  /** What one result changed. */
  enum Change {
    NONE,
    WENT_UP,
    WENT_DOWN,
    /**
     * The first check of a server that started down (alpha) failed: no state change, but keepalived
     * notifies it as down then (ipwrapper.c update_svr_checker_state, first run of an alpha
     * checker).
     */
    CONFIRMED_DOWN
  }

  /** IPVS weights are 0..65535 as keepalived configures them. */
  static final int MAX_WEIGHT = 65_535;

  private final CheckTiming timing;
  private boolean up;
  private boolean hasRun;
  private int retriesUsed;
  private OptionalInt dynamicWeight = OptionalInt.empty();
  private String lastReason;
  private Instant since;
  private long lastLatencyNanos = -1;
  private long checks;
  private long nextDelayNanos;
  private boolean nextIsRetry;

  private RealServerHealth(
      CheckTiming timing, boolean up, int retriesUsed, String reason, Instant since) {
    this.timing = timing;
    this.up = up;
    this.retriesUsed = retriesUsed;
    this.lastReason = reason;
    this.since = since;
  }

  /**
   * A real server whose check starts now: down with alpha, else up. {@code atStartup} is true for
   * the first configuration the checker runs, where keepalived lets one failure take a server down;
   * servers added later need {@code retries + 1} failures, as after a keepalived reload.
   */
  static RealServerHealth starting(CheckTiming timing, boolean atStartup, Instant at) {
    int retriesUsed = atStartup ? timing.retries() : 0;
    if (timing.alpha()) {
      return new RealServerHealth(
          timing, false, retriesUsed, "alpha: down until a check succeeds", at);
    }
    return new RealServerHealth(timing, true, retriesUsed, "not checked yet", at);
  }

  /**
   * A real server whose check changed, taking over from the old one as keepalived's
   * migrate_checkers (ipwrapper.c) does: a server that was up stays up, and needs all its retries
   * to go down; one that was down comes up at once unless alpha is set, then one failure takes it
   * down again. Coming up unchecked is odd (an operator would expect it to wait for a success), but
   * it is keepalived's behaviour on a reload, so it is kept.
   */
  static RealServerHealth restartedFrom(RealServerHealth previous, CheckTiming timing, Instant at) {
    if (previous.up) {
      return new RealServerHealth(timing, true, 0, previous.lastReason, previous.since);
    }
    if (timing.alpha()) {
      return new RealServerHealth(
          timing, false, timing.retries(), previous.lastReason, previous.since);
    }
    return new RealServerHealth(
        timing, true, timing.retries(), "check changed: up until it fails", at);
  }

  /** A real server without a checker: keepalived keeps it alive as long as it is configured. */
  static RealServerHealth unchecked(CheckTiming timing, Instant at) {
    return new RealServerHealth(timing, true, 0, "no health check configured", at);
  }

  /**
   * Takes the result of one completed check.
   *
   * @param latencyNanos how long the check took
   * @param at the wall-clock time of the result, for {@link #since()}
   */
  Change record(ProbeResult result, long latencyNanos, Instant at) {
    boolean firstResult = !hasRun;
    hasRun = true;
    nextIsRetry = false;
    checks++;
    lastLatencyNanos = latencyNanos;
    lastReason = result.reason();
    if (result.healthy()) {
      retriesUsed = 0;
      if (result.weight().isPresent()) {
        dynamicWeight = OptionalInt.of(clampWeight(result.weight().getAsInt()));
      }
      nextDelayNanos = timing.interval().toNanos();
      return becomeUp(at);
    }
    if (!up && !firstResult) {
      nextDelayNanos = max(timing.retryDelay(), timing.interval()).toNanos();
      return Change.NONE;
    }
    if (retriesUsed < timing.retries()) {
      retriesUsed++;
      nextDelayNanos = timing.retryDelay().toNanos();
      nextIsRetry = true;
      return Change.NONE;
    }
    retriesUsed = 0;
    nextDelayNanos = timing.interval().toNanos();
    if (!up) {
      return Change.CONFIRMED_DOWN;
    }
    up = false;
    since = at;
    return Change.WENT_DOWN;
  }

  private Change becomeUp(Instant at) {
    if (up) {
      return Change.NONE;
    }
    up = true;
    since = at;
    return Change.WENT_UP;
  }

  /** The delay before the next check, decided by the last {@link #record}. */
  /**
   * Whether the next check is a retry (delay_before_retry counts from the failed attempt's end);
   * otherwise it is the regular one of the interval.
   */
  boolean nextIsRetry() {
    return nextIsRetry;
  }

  long nextDelayNanos() {
    return nextDelayNanos;
  }

  boolean up() {
    return up;
  }

  /** The weight to use: the one the check decided last (misc_dynamic), else {@code configured}. */
  int weight(int configured) {
    return dynamicWeight.orElse(configured);
  }

  String lastReason() {
    return lastReason;
  }

  Instant since() {
    return since;
  }

  Optional<Duration> lastLatency() {
    return lastLatencyNanos < 0
        ? Optional.empty()
        : Optional.of(Duration.ofNanos(lastLatencyNanos));
  }

  long checks() {
    return checks;
  }

  private static int clampWeight(int weight) {
    return Math.max(0, Math.min(MAX_WEIGHT, weight));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
