package io.kubelvs.agent.kube;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorStatus;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the Director's status subresource, and nothing else of it.
 *
 * <ul>
 *   <li><b>Coalesced:</b> {@link #changed()} only marks the status stale; one thread builds it from
 *       what is true when it writes, so a hundred changes between two writes cost one write.
 *   <li><b>Rate-limited:</b> writes are at least {@code minInterval} apart (a flapping backend
 *       moves the status at most once a {@code minInterval}), and a status equal to the one the
 *       object already has is not written at all. Every {@code refresh} the status is built again
 *       anyway, for the IPVS counters.
 *   <li><b>Optimistic concurrency:</b> the write carries the resourceVersion the status was built
 *       against; on 409 Conflict the object is read again and the status rebuilt against it (the
 *       conditions' transition times and the generation come from the object), a few times.
 *   <li><b>Static stability:</b> while the API server cannot be reached the writes back off, to
 *       {@code maxBackoff} at most, so the status catches up within that of its return; nothing
 *       else waits on them, and the failure is logged once, not per attempt.
 * </ul>
 */
public final class StatusWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);
  private static final int CONFLICT_ATTEMPTS = 5;

  /** Timing of the writes. */
  public record Settings(Duration minInterval, Duration refresh, Duration maxBackoff) {
    public static final Settings DEFAULT =
        new Settings(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(5));
  }

  private final KubernetesClient client;
  private final String name;
  private final Supplier<Optional<Director>> cached;
  private final Function<Director, DirectorStatus> build;
  private final Settings settings;
  private final ScheduledExecutorService thread;

  // Only on the writer's thread.
  private ScheduledFuture<?> next;
  private long lastAttemptNanos = System.nanoTime() - Duration.ofDays(1).toNanos();
  private Duration backoff = Duration.ZERO;
  private boolean failing;
  private long writes;

  /**
   * @param name the Director's name (the node's)
   * @param cached the Director as the watch last saw it, if it saw one
   * @param build the status to write, given the Director it is written to
   */
  public StatusWriter(
      KubernetesClient client,
      String name,
      Supplier<Optional<Director>> cached,
      Function<Director, DirectorStatus> build,
      Settings settings) {
    this.client = Objects.requireNonNull(client, "client");
    this.name = Objects.requireNonNull(name, "name");
    this.cached = Objects.requireNonNull(cached, "cached");
    this.build = Objects.requireNonNull(build, "build");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "director-status");
              t.setDaemon(true);
              return t;
            });
    thread.scheduleWithFixedDelay(
        this::changedOnThread,
        settings.refresh().toMillis(),
        settings.refresh().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Something the status shows has changed: it is written soon, with whatever else changed. */
  public void changed() {
    try {
      thread.execute(this::changedOnThread);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closed: the agent is stopping.
    }
  }

  /** How many writes the API server accepted; for tests and the agent's own metrics. */
  public long writes() {
    try {
      return thread.submit(() -> writes).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  private void changedOnThread() {
    if (next != null && !next.isDone()) {
      return;
    }
    long earliest = lastAttemptNanos + settings.minInterval().toNanos() + backoff.toNanos();
    long delay = Math.max(0, earliest - System.nanoTime());
    next = thread.schedule(this::write, delay, TimeUnit.NANOSECONDS);
  }

  private void write() {
    lastAttemptNanos = System.nanoTime();
    try {
      Optional<Director> current = cached.get();
      if (current.isEmpty()) {
        current = Optional.ofNullable(client.resources(Director.class).withName(name).get());
      }
      for (int attempt = 1; current.isPresent(); attempt++) {
        Director director = current.get();
        DirectorStatus status = build.apply(director);
        if (status.equals(director.getStatus())) {
          break;
        }
        try {
          client.resource(withStatus(director, status)).updateStatus();
          writes++;
          break;
        } catch (KubernetesClientException e) {
          if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= CONFLICT_ATTEMPTS) {
            throw e;
          }
          LOG.debug("director status conflict, reading it again attempt={}", attempt);
          current = Optional.ofNullable(client.resources(Director.class).withName(name).get());
        }
      }
      if (failing) {
        LOG.info("director status written again name={}", name);
      }
      failing = false;
      backoff = Duration.ZERO;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        // Deleted between the read and the write: nothing to write to.
        backoff = Duration.ZERO;
        return;
      }
      retryLater(e);
    } catch (RuntimeException e) {
      retryLater(e);
    }
  }

  private void retryLater(RuntimeException e) {
    if (!failing) {
      LOG.warn("director status not written, retrying name={} error=\"{}\"", name, e.getMessage());
    }
    failing = true;
    backoff =
        backoff.isZero()
            ? settings.minInterval()
            : backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0
                ? settings.maxBackoff()
                : backoff.multipliedBy(2);
    next = thread.schedule(this::write, backoff.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** A copy of {@code director} with {@code status}: the watch's cached objects stay untouched. */
  private static Director withStatus(Director director, DirectorStatus status) {
    Director copy = new Director();
    copy.setMetadata(new ObjectMetaBuilder(director.getMetadata()).build());
    copy.setSpec(director.getSpec());
    copy.setStatus(status);
    return copy;
  }

  /**
   * Writes the status as it is now, without waiting for {@code minInterval} (a write already
   * scheduled is replaced by this one), then closes. For the agent's stop: the handover's last
   * transitions (STOPPED) must reach the API server, or the status keeps claiming MASTER for a node
   * that no longer serves. Gives up after {@code timeout}.
   */
  public void flushAndClose(Duration timeout) {
    try {
      thread
          .submit(
              () -> {
                if (next != null) {
                  next.cancel(false);
                }
                write();
              })
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.warn("director status not written before stopping name={} error=\"{}\"", name, e);
    }
    close();
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
