package io.kubelvs.agent.vrrp;

import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One tracked condition (a script, a probe, a file) with keepalived's {@code vrrp_script} / {@code
 * track_script} semantics, as pure logic: the caller starts a run every {@code interval}, bounds it
 * by {@code timeout}, and feeds each result to {@link #record}.
 *
 * <ul>
 *   <li>Status starts INIT, and the first result decides it (keepalived starts a script one success
 *       short of {@code rise}, and a failure in that state fails it at once). With {@code initFail}
 *       it starts DOWN and needs {@code rise} successes.
 *   <li>After that, {@code fall} consecutive failures (a timeout is a failure) take it DOWN and
 *       {@code rise} consecutive successes bring it UP.
 *   <li>A positive weight is added to the priority while UP, a negative one while DOWN; weight 0
 *       means DOWN puts the instance in FAULT. INIT adds nothing and faults nothing.
 *   <li>{@link #verdict} sums the weights onto the base priority and clamps to 1..254; an address
 *       owner (255) keeps 255, as weights cannot make a router more or less the owner.
 * </ul>
 */
public final class TrackedCondition {

  public enum Status {
    INIT,
    UP,
    DOWN
  }

  public enum Result {
    SUCCESS,
    FAILURE,
    TIMEOUT
  }

  /**
   * @param interval how often to run the check [interval]
   * @param timeout a run taking longer is a failure [timeout]
   * @param rise consecutive successes to go UP [rise]
   * @param fall consecutive failures to go DOWN [fall]
   * @param weight priority change, -254..254; 0 means DOWN is a fault [weight]
   * @param initFail start DOWN instead of INIT [init_fail]
   */
  public record Settings(
      String name,
      Duration interval,
      Duration timeout,
      int rise,
      int fall,
      int weight,
      boolean initFail) {

    public Settings {
      Objects.requireNonNull(name, "name");
      if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(
            "tracked " + name + ": interval and timeout must be > 0");
      }
      if (rise < 1 || fall < 1) {
        throw new IllegalArgumentException("tracked " + name + ": rise and fall must be >= 1");
      }
      if (weight < -254 || weight > 254) {
        throw new IllegalArgumentException(
            "tracked " + name + ": weight " + weight + " not in ±254");
      }
    }

    /** keepalived's defaults (interval 1 s, rise 1, fall 1), timeout = interval. */
    public static Settings of(String name, int weight) {
      Duration second = Duration.ofSeconds(1);
      return new Settings(name, second, second, 1, 1, weight, false);
    }
  }

  /** What the tracked conditions of one instance say: its priority, and a fault if any. */
  public record Verdict(int effectivePriority, Optional<String> fault) {}

  private final Settings settings;
  private Status status;
  private int successes;
  private int failures;

  public TrackedCondition(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.status = settings.initFail() ? Status.DOWN : Status.INIT;
  }

  public Settings settings() {
    return settings;
  }

  public Status status() {
    return status;
  }

  /** A run that took longer than the timeout is a TIMEOUT, whatever it returned. */
  public Result classify(boolean succeeded, Duration took) {
    if (took.compareTo(settings.timeout()) > 0) {
      return Result.TIMEOUT;
    }
    return succeeded ? Result.SUCCESS : Result.FAILURE;
  }

  /** When the next run starts, given when the previous one started (monotonic nanoseconds). */
  public long nextRunAt(long previousStartNanos) {
    return previousStartNanos + settings.interval().toNanos();
  }

  /** Feeds one result; returns whether the status changed. */
  public boolean record(Result result) {
    if (result == Result.SUCCESS) {
      successes++;
      failures = 0;
    } else {
      failures++;
      successes = 0;
    }
    Status next =
        switch (status) {
          case INIT -> result == Result.SUCCESS ? Status.UP : Status.DOWN;
          case UP -> failures >= settings.fall() ? Status.DOWN : Status.UP;
          case DOWN -> successes >= settings.rise() ? Status.UP : Status.DOWN;
        };
    boolean changed = next != status;
    status = next;
    return changed;
  }

  /** What this condition adds to the priority now. */
  public int priorityContribution() {
    int weight = settings.weight();
    if (weight > 0 && status == Status.UP) {
      return weight;
    }
    if (weight < 0 && status == Status.DOWN) {
      return weight;
    }
    return 0;
  }

  /** Whether this condition puts the instance in FAULT now. */
  public boolean faults() {
    return settings.weight() == 0 && status == Status.DOWN;
  }

  /** Effective priority and fault of an instance with this base priority and these conditions. */
  public static Verdict verdict(int basePriority, Collection<TrackedCondition> conditions) {
    String down =
        conditions.stream()
            .filter(TrackedCondition::faults)
            .map(c -> c.settings().name())
            .collect(Collectors.joining(", "));
    Optional<String> fault =
        down.isEmpty() ? Optional.empty() : Optional.of("tracked " + down + " down");
    if (basePriority == VrrpInstanceConfig.OWNER_PRIORITY) {
      return new Verdict(basePriority, fault);
    }
    int sum = conditions.stream().mapToInt(TrackedCondition::priorityContribution).sum();
    return new Verdict(Math.max(1, Math.min(254, basePriority + sum)), fault);
  }
}
