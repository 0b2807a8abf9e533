package io.kubelvs.agent.kube;

import io.kubelvs.agent.config.GlobalDefs;
import io.kubelvs.agent.config.NodeConfig;
import io.kubelvs.agent.config.VrrpConfig;
import io.kubelvs.api.v1alpha1.Director;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the engine run what this node's Director says: each spec the watch delivers is mapped,
 * applied as a diff and saved on the node; a spec that cannot run is refused whole and the running
 * one stays. Specs are applied one at a time on a thread of their own, the latest one only: a burst
 * of updates while one applies costs one more apply, and the watch is never held up.
 *
 * <p>Before the API server is asked anything, {@link #startFromDisk()} applies the Director saved
 * by the last run: a node whose agent restarts while the API server is away serves its VIPs all the
 * same.
 */
public final class DirectorFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DirectorFollower.class);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration LAST_RETRY = Duration.ofSeconds(30);

  /** The engine's side: applies a whole configuration as a diff, or refuses it unchanged. */
  @FunctionalInterface
  public interface Engine {
    void apply(NodeConfig config) throws SpecMapping.Refused;
  }

  /** What the follower tells: status changed, and Events worth recording. */
  public interface Listener {
    /** The applied state changed (a spec applied or refused, or the Director went away). */
    void appliedChanged(DirectorStatusBuilder.Applied applied);

    /** A spec was refused; the running one stays. */
    void refused(Director director, String message);
  }

  private final String nodeName;
  private final SpecMapping mapping;
  private final SecretReader secrets;
  private final Engine engine;
  private final DirectorStore store;
  private final Listener listener;
  private final ScheduledExecutorService thread;
  private final AtomicReference<Optional<Director>> pending = new AtomicReference<>();
  // What the watch said last, to retry only a spec nothing newer replaced.
  private volatile Optional<Director> latest = Optional.empty();
  private volatile DirectorStatusBuilder.Applied applied = DirectorStatusBuilder.Applied.NOTHING;
  // On the follower's thread only: what runs, to skip a spec already applied; the wait before
  // trying a spec again that could not be applied for a passing reason.
  private Optional<Director> running = Optional.empty();
  private Duration retryDelay = FIRST_RETRY;

  /**
   * @param secrets reads the Secrets a spec refers to, from the API server
   */
  public DirectorFollower(
      String nodeName,
      SpecMapping mapping,
      SecretReader secrets,
      Engine engine,
      DirectorStore store,
      Listener listener) {
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    this.mapping = Objects.requireNonNull(mapping, "mapping");
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.engine = Objects.requireNonNull(engine, "engine");
    this.store = Objects.requireNonNull(store, "store");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "director-apply");
              t.setDaemon(true);
              return t;
            });
  }

  /** What runs and what was refused, for the status. */
  public DirectorStatusBuilder.Applied applied() {
    return applied;
  }

  /**
   * Applies the Director the last run saved, if any, before anything else; waits for it.
   *
   * @return whether a saved Director was applied
   */
  public boolean startFromDisk() {
    Optional<DirectorStore.Saved> saved = store.load();
    if (saved.isEmpty()) {
      return false;
    }
    try {
      return thread
          .submit(
              () -> {
                Director director = saved.get().director();
                try {
                  SpecMapping.Mapped mapped = mapping.map(director, saved.get().secretReader());
                  engine.apply(mapped.config());
                  running = Optional.of(director);
                  publish(
                      new DirectorStatusBuilder.Applied(
                          Optional.ofNullable(director.getMetadata().getGeneration()),
                          mapped.namesById(),
                          Optional.empty()));
                  LOG.info(
                      "director applied from the node's disk name={} generation={} file={}",
                      director.getMetadata().getName(),
                      director.getMetadata().getGeneration(),
                      store.file());
                  return true;
                } catch (SpecMapping.Refused e) {
                  LOG.error(
                      "the saved director cannot run, waiting for the API server file={} error=\"{}\"",
                      store.file(),
                      e.getMessage());
                  return false;
                }
              })
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      LOG.error("the saved director cannot run: {}", e.getCause().toString(), e.getCause());
      return false;
    }
  }

  /** The watch saw {@code director} (added or changed). */
  public void onDirector(Director director) {
    offer(Optional.of(director));
  }

  /**
   * The API server says there is no Director for this node (deleted, or none after a full list):
   * the node stops being a director: its VIPs are handed over, its IPVS services removed.
   */
  public void onAbsent() {
    offer(Optional.empty());
  }

  private void offer(Optional<Director> next) {
    latest = next;
    if (pending.getAndSet(next) == null) {
      try {
        thread.execute(this::applyPending);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // Closed: the agent is stopping.
      }
    }
  }

  private void applyPending() {
    Optional<Director> next = pending.getAndSet(null);
    if (next == null) {
      return;
    }
    if (next.isEmpty()) {
      stopBeingADirector();
    } else {
      apply(next.get());
    }
  }

  private void apply(Director director) {
    if (running.isPresent() && sameSpec(running.get(), director)) {
      // A status write or a resync: nothing to apply. The generation may be news, though, when
      // the running spec came from disk.
      Long generation = director.getMetadata().getGeneration();
      if (!applied.generation().equals(Optional.ofNullable(generation))) {
        publish(
            new DirectorStatusBuilder.Applied(
                Optional.ofNullable(generation), applied.namesById(), Optional.empty()));
      }
      running = Optional.of(director);
      return;
    }
    long generation = Optional.ofNullable(director.getMetadata().getGeneration()).orElse(0L);
    Map<String, String> read = new HashMap<>();
    SecretReader recording =
        new SecretReader() {
          @Override
          public Optional<String> read(String name, String key) {
            Optional<String> value = secrets.read(name, key);
            value.ifPresent(v -> read.put(name + "/" + key, v));
            return value;
          }

          @Override
          public String describe(String name) {
            return secrets.describe(name);
          }
        };
    try {
      SpecMapping.Mapped mapped = mapping.map(director, recording);
      engine.apply(mapped.config());
      running = Optional.of(director);
      store.save(new DirectorStore.Saved(director, read));
      publish(
          new DirectorStatusBuilder.Applied(
              Optional.of(generation), mapped.namesById(), Optional.empty()));
      LOG.info(
          "director applied name={} generation={}", director.getMetadata().getName(), generation);
    } catch (SpecMapping.Refused e) {
      LOG.error(
          "director refused, the running configuration stays name={} generation={} error=\"{}\"",
          director.getMetadata().getName(),
          generation,
          e.getMessage());
      publish(
          new DirectorStatusBuilder.Applied(
              applied.generation(),
              applied.namesById(),
              Optional.of(new DirectorStatusBuilder.Refusal(generation, e.getMessage()))));
      listener.refused(director, e.getMessage());
    } catch (RuntimeException e) {
      // Reading a Secret failed (the API server went away meanwhile), or the engine broke: the
      // running configuration stays, and the spec is tried again after a while, unless a newer
      // one came meanwhile. A watch may send nothing more for hours.
      LOG.error(
          "director not applied, the running configuration stays, retrying name={} retry_in=\"{}\""
              + " error=\"{}\"",
          director.getMetadata().getName(),
          retryDelay,
          e.getMessage(),
          e);
      thread.schedule(
          () -> {
            if (latest.orElse(null) == director
                && pending.compareAndSet(null, Optional.of(director))) {
              applyPending();
            }
          },
          retryDelay.toMillis(),
          TimeUnit.MILLISECONDS);
      retryDelay =
          retryDelay.multipliedBy(2).compareTo(LAST_RETRY) > 0
              ? LAST_RETRY
              : retryDelay.multipliedBy(2);
      return;
    }
    retryDelay = FIRST_RETRY;
  }

  private void stopBeingADirector() {
    if (running.isEmpty() && applied.generation().isEmpty()) {
      return;
    }
    LOG.warn("no director for this node any more: handing the VIPs over, removing IPVS services");
    try {
      engine.apply(
          new NodeConfig(
              new GlobalDefs(
                  nodeName, List.of(), "kubelvs@" + nodeName, Optional.empty(), Duration.ZERO),
              new VrrpConfig(List.of(), Set.of()),
              List.of()));
    } catch (SpecMapping.Refused e) {
      LOG.error("the empty configuration was refused: {}", e.getMessage());
      return;
    }
    running = Optional.empty();
    store.delete();
    publish(DirectorStatusBuilder.Applied.NOTHING);
  }

  private void publish(DirectorStatusBuilder.Applied next) {
    applied = next;
    listener.appliedChanged(next);
  }

  /** The same spec as far as the engine goes: same object (uid) and the same spec. */
  private static boolean sameSpec(Director a, Director b) {
    return Objects.equals(a.getMetadata().getUid(), b.getMetadata().getUid())
        && Objects.equals(a.getSpec(), b.getSpec());
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
