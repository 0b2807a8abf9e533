package io.kubelvs.agent.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the VirtualServerSets of this node's pool, which its Director's instances name. The
 * informer lists and watches with {@code labelSelector=kubelvs.io/pool=POOL}, so the API server
 * sends the sets of this pool only, never the other pools'. It starts once the Director says its
 * pool ({@link #follow}), starts over when the pool changes, and, as {@link DirectorWatch}, retries
 * for ever without holding anything up: the agent runs on from what it applied meanwhile.
 */
public final class VirtualServerSetWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VirtualServerSetWatch.class);

  /** The label the operator puts on a set: its pool's name. */
  static final String POOL_LABEL = "kubelvs.io/pool";

  private final KubernetesClient client;
  // Guarded by this.
  private String pool;
  private SharedIndexInformer<VirtualServerSet> informer;
  private boolean closed;

  public VirtualServerSetWatch(KubernetesClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /**
   * Holds the sets of {@code pool} from now on, and only those; returns at once. Nothing changes
   * when that is the pool already held.
   *
   * @param changed called after every change to a set held (added, updated or deleted)
   */
  public synchronized void follow(String pool, Runnable changed) {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(changed, "changed");
    if (closed || pool.equals(this.pool)) {
      return;
    }
    if (informer != null) {
      LOG.info(
          "pool changed, watching its VirtualServerSets instead from={} to={}", this.pool, pool);
      informer.stop();
    }
    this.pool = pool;
    informer = start(pool, changed);
  }

  private SharedIndexInformer<VirtualServerSet> start(String pool, Runnable changed) {
    SharedIndexInformer<VirtualServerSet> started =
        client.resources(VirtualServerSet.class).withLabel(POOL_LABEL, pool).runnableInformer(0);
    AtomicBoolean failing = new AtomicBoolean();
    started.exceptionHandler(
        (running, error) -> {
          if (!failing.getAndSet(true)) {
            LOG.warn(
                "VirtualServerSet watch failing, retrying pool={} error=\"{}\"",
                pool,
                error.getMessage());
          }
          return true;
        });
    started.addEventHandler(
        new ResourceEventHandler<VirtualServerSet>() {
          @Override
          public void onAdd(VirtualServerSet set) {
            seen();
          }

          @Override
          public void onUpdate(VirtualServerSet before, VirtualServerSet set) {
            seen();
          }

          @Override
          public void onDelete(VirtualServerSet set, boolean finalStateUnknown) {
            seen();
          }

          private void seen() {
            if (failing.getAndSet(false)) {
              LOG.info("VirtualServerSet watch running again pool={}", pool);
            }
            changed.run();
          }
        });
    // Once the first list is in, whatever is still missing is missing: say so to the Director.
    started.start().thenRun(changed);
    LOG.info("watching VirtualServerSets pool={}", pool);
    return started;
  }

  /** The set named {@code name} as the watch last saw it, if it is of the pool followed. */
  public Optional<VirtualServerSet> get(String name) {
    SharedIndexInformer<VirtualServerSet> current;
    synchronized (this) {
      current = informer;
    }
    // A cluster-scoped object's key in the store is its name.
    return current == null
        ? Optional.empty()
        : Optional.ofNullable(current.getStore().getByKey(name));
  }

  /** The pool whose sets are held; empty before {@link #follow}. */
  public synchronized Optional<String> pool() {
    return Optional.ofNullable(pool);
  }

  /** Whether the first list of the pool's sets succeeded. */
  public synchronized boolean synced() {
    return informer != null && informer.hasSynced();
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (informer != null) {
      informer.stop();
    }
  }
}
