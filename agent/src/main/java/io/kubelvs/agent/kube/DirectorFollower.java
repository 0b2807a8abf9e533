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
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the engine run what this node's Director says: each spec the watch delivers is resolved
 * with the VirtualServerSets it names ({@link DirectorSets}), then mapped, applied as a diff and
 * saved on the node as resolved; a spec that cannot run is refused whole and the running one stays.
 * Specs are applied one at a time on a thread of their own, the latest one only: a burst of updates
 * (of the Director or of the pool's sets) while one applies costs one more apply, and the watch is
 * never held up.
 *
 * <p>A Director naming a set the agent does not hold yet at the generation it needs waits, and the
 * running configuration stays; each change to a set of the pool offers the latest Director again.
 * The sets held are those of the pool the latest Director names ({@link VirtualServerSetWatch}).
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
  private final VirtualServerSetWatch sets;
  private final Engine engine;
  private final DirectorStore store;
  private final Listener listener;
  private final ScheduledExecutorService thread;
  // Whether the thread is to look at latest again.
  private final AtomicBoolean scheduled = new AtomicBoolean();
  // What the watch said last: the one spec to apply.
  private volatile Optional<Director> latest = Optional.empty();
  private volatile DirectorStatusBuilder.Applied applied = DirectorStatusBuilder.Applied.NOTHING;
  // Written on the follower's thread only: what runs (resolved), to skip a spec already applied.
  private volatile Optional<Director> running = Optional.empty();
  // On the follower's thread only: the wait before trying a spec again that could not be applied
  // for a passing reason; the sets whose wait was logged, each once.
  private Duration retryDelay = FIRST_RETRY;
  private Set<DirectorSets.Missing> waitsLogged = Set.of();

  /**
   * @param secrets reads the Secrets a spec refers to, from the API server
   * @param sets the VirtualServerSets specs name; the follower tells it the pool to hold
   */
  public DirectorFollower(
      String nodeName,
      SpecMapping mapping,
      SecretReader secrets,
      VirtualServerSetWatch sets,
      Engine engine,
      DirectorStore store,
      Listener listener) {
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    this.mapping = Objects.requireNonNull(mapping, "mapping");
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.sets = Objects.requireNonNull(sets, "sets");
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
   * The Director that runs, resolved: the servers of the sets it named are in its instances, so
   * each virtual server's {@code owner} can be found here; empty when none runs.
   */
  public Optional<Director> running() {
    return running;
  }

  /**
   * Applies the Director the last run saved, if any, before anything else; waits for it. The saved
   * Director is resolved already: it needs no VirtualServerSet.
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
                  SpecMapping.Mapped mapped =
                      mapping.map(director, SetOrigins.NONE, saved.get().secretReader());
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
    if (director.getSpec() != null && director.getSpec().poolName() != null) {
      sets.follow(director.getSpec().poolName(), this::setsChanged);
    }
    offer(Optional.of(director));
  }

  /**
   * The API server says there is no Director for this node (deleted, or none after a full list):
   * the node stops being a director: its VIPs are handed over, its IPVS services removed.
   */
  public void onAbsent() {
    offer(Optional.empty());
  }

  /** A set of the pool changed: the latest Director may resolve, or resolve otherwise, now. */
  private void setsChanged() {
    if (latest.isPresent()) {
      schedule();
    }
  }

  private void offer(Optional<Director> next) {
    latest = next;
    schedule();
  }

  private void schedule() {
    if (!scheduled.getAndSet(true)) {
      try {
        thread.execute(this::applyLatest);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // Closed: the agent is stopping.
      }
    }
  }

  private void applyLatest() {
    scheduled.set(false);
    Optional<Director> next = latest;
    if (next.isEmpty()) {
      stopBeingADirector();
    } else {
      apply(next.get());
    }
  }

  private void apply(Director director) {
    DirectorSets.Resolution resolution = DirectorSets.resolve(director, sets::get);
    if (resolution instanceof DirectorSets.Waiting waiting) {
      logWaits(director, waiting.missing());
      return;
    }
    waitsLogged = Set.of();
    long generation = Optional.ofNullable(director.getMetadata().getGeneration()).orElse(0L);
    if (resolution instanceof DirectorSets.Invalid invalid) {
      refuse(
          director,
          generation,
          new DirectorSpecException(director.getMetadata().getName(), invalid.problems())
              .getMessage());
      return;
    }
    DirectorSets.Ready ready = (DirectorSets.Ready) resolution;
    applyResolved(director, generation, ready.director(), ready.origins());
  }

  /**
   * Applies {@code resolved}, the Director the watch delivered with its sets' servers in place.
   *
   * @param director as delivered, to retry only when nothing newer came meanwhile
   */
  private void applyResolved(
      Director director, long generation, Director resolved, SetOrigins origins) {
    if (running.isPresent() && sameSpec(running.get(), resolved)) {
      // A status write, a resync, or a set change that makes no difference here: nothing to
      // apply. The generation may be news, though, when the running spec came from disk or the
      // Director only moved to a set generation with the same servers.
      Optional<Long> delivered = Optional.ofNullable(director.getMetadata().getGeneration());
      Map<String, Long> sets = origins.generations();
      if (!applied.generation().equals(delivered) || !applied.sets().equals(sets)) {
        publish(
            new DirectorStatusBuilder.Applied(
                delivered, applied.namesById(), Optional.empty(), sets));
      }
      running = Optional.of(resolved);
      return;
    }
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
      SpecMapping.Mapped mapped = mapping.map(resolved, origins, recording);
      engine.apply(mapped.config());
      running = Optional.of(resolved);
      store.save(new DirectorStore.Saved(resolved, read));
      publish(
          new DirectorStatusBuilder.Applied(
              Optional.of(generation),
              mapped.namesById(),
              Optional.empty(),
              origins.generations()));
      LOG.info(
          "director applied name={} generation={} sets={}",
          director.getMetadata().getName(),
          generation,
          origins.describe());
    } catch (SpecMapping.Refused e) {
      refuse(director, generation, e.getMessage());
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
            if (latest.orElse(null) == director) {
              schedule();
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

  /**
   * Keeps the running configuration and says why {@code director} cannot run; said once while the
   * reason stays the same, as each change to a set of the pool offers the Director again.
   */
  private void refuse(Director director, long generation, String message) {
    DirectorStatusBuilder.Refusal refusal = new DirectorStatusBuilder.Refusal(generation, message);
    if (applied.refused().equals(Optional.of(refusal))) {
      return;
    }
    LOG.error(
        "director refused, the running configuration stays name={} generation={} error=\"{}\"",
        director.getMetadata().getName(),
        generation,
        message);
    publish(
        new DirectorStatusBuilder.Applied(
            applied.generation(), applied.namesById(), Optional.of(refusal), applied.sets()));
    listener.refused(director, message);
  }

  /**
   * Logs each set waited for once per generation needed; the running configuration stays. Not
   * before the set watch listed the pool's sets: until then every set is missing, and the list
   * offers the Director again when it is done.
   */
  private void logWaits(Director director, List<DirectorSets.Missing> missing) {
    if (!sets.synced()) {
      return;
    }
    for (DirectorSets.Missing wait : missing) {
      if (!waitsLogged.contains(wait)) {
        LOG.info(
            "waiting for a VirtualServerSet, the running configuration stays name={} generation={}"
                + " set={} set_generation={} have={}",
            director.getMetadata().getName(),
            director.getMetadata().getGeneration(),
            wait.set(),
            wait.generation(),
            wait.have().map(String::valueOf).orElse("none"));
      }
    }
    waitsLogged = Set.copyOf(missing);
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
