package io.kubelvs.agent.check;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * keepalived's checker core: runs the health checks of every real server of every virtual server on
 * one timer thread, and tells a {@link HealthListener} which destinations each virtual server
 * should have and which servers and quorums changed state.
 *
 * <p>All state lives on the {@link CheckTimer}'s thread. {@link #apply}, {@link #snapshot} and
 * {@link #close} may be called from any thread: called elsewhere they run their work on the timer
 * thread and wait for it.
 */
public final class HealthChecker implements AutoCloseable {

  /** How long a caller waits for the timer thread before giving up with an error. */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private final CheckContext context;
  private final Map<String, VirtualServerHealth> virtualServers = new LinkedHashMap<>();
  private boolean started;
  private boolean closed;

  /**
   * @param timer the thread and clock every check runs on
   * @param probers gives the prober of each check method
   * @param clock the wall clock of events and {@code since}
   * @param random the source of warmup delays
   * @param listener receives destinations and events, on the timer thread
   */
  public HealthChecker(
      CheckTimer timer,
      ProberFactory probers,
      InstantSource clock,
      RandomGenerator random,
      HealthListener listener) {
    this.context = new CheckContext(timer, probers, clock, random, listener);
  }

  /**
   * Moves to a new configuration. It is validated whole first: with any problem nothing changes and
   * the running checks go on. Otherwise only the difference is applied: a real server whose check
   * (method, timing, target) is unchanged keeps its state and history; one whose check changed
   * restarts from its state; new ones start (alpha decides their first state, warmup spreads their
   * first checks); removed ones stop, and are reported down if they were up. Each virtual server
   * that is new, removed, or whose destinations changed is reported once.
   *
   * @throws CheckConfigException naming every field that is wrong
   * @throws IllegalStateException after {@link #close()}
   */
  public void apply(List<VirtualServerChecks> configuration) throws CheckConfigException {
    CheckConfigValidator.requireValid(configuration);
    List<VirtualServerChecks> valid = List.copyOf(configuration);
    onTimerThread(
        () -> {
          applyValid(valid);
          return null;
        });
  }

  private void applyValid(List<VirtualServerChecks> configuration) {
    if (closed) {
      throw new IllegalStateException("the health checker is closed; cannot apply a configuration");
    }
    Map<String, VirtualServerChecks> wanted = new LinkedHashMap<>();
    configuration.forEach(vs -> wanted.put(vs.id(), vs));
    Map<String, VirtualServerHealth> previous = new LinkedHashMap<>(virtualServers);
    virtualServers.clear();
    for (VirtualServerChecks vs : wanted.values()) {
      VirtualServerHealth existing = previous.remove(vs.id());
      if (existing == null) {
        virtualServers.put(vs.id(), VirtualServerHealth.start(vs, context, !started));
      } else {
        if (!existing.config().equals(vs)) {
          existing.reconfigure(vs);
        }
        virtualServers.put(vs.id(), existing);
      }
    }
    previous.values().forEach(VirtualServerHealth::remove);
    started = true;
  }

  /** What every configured virtual server and real server looks like now. */
  public HealthSnapshot snapshot() {
    return onTimerThread(
        () -> {
          List<HealthSnapshot.VirtualServer> result = new ArrayList<>(virtualServers.size());
          virtualServers.values().forEach(vs -> result.add(vs.snapshot()));
          return new HealthSnapshot(result);
        });
  }

  /**
   * Stops every check; results still on their way are ignored. Virtual servers with omega report
   * their servers and quorum down. Idempotent.
   */
  @Override
  public void close() {
    onTimerThread(
        () -> {
          if (!closed) {
            closed = true;
            virtualServers.values().forEach(VirtualServerHealth::shutdown);
          }
          return null;
        });
  }

  private <T> T onTimerThread(Supplier<T> work) {
    if (context.timer().inTimerThread()) {
      return work.get();
    }
    CompletableFuture<T> done = new CompletableFuture<>();
    context
        .timer()
        .execute(
            () -> {
              try {
                done.complete(work.get());
              } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
              }
            });
    try {
      return done.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("health checker failed on its timer thread", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "health checker's timer thread did not answer within " + DurationText.of(CALL_TIMEOUT),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the health checker", e);
    }
  }
}
