package io.kubelvs.agent.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubelvs.api.v1alpha1.Director;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches exactly one object: the cluster-scoped Director named after this node. The informer lists
 * and watches with {@code fieldSelector=metadata.name=NODE}, so the API server sends this node's
 * Director only, never the others'. While the API server cannot be reached the informer retries
 * with its own backoff, for ever, also before its first list succeeded: the agent runs on from its
 * saved Director meanwhile.
 */
public final class DirectorWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DirectorWatch.class);

  private final SharedIndexInformer<Director> informer;

  private DirectorWatch(SharedIndexInformer<Director> informer) {
    this.informer = informer;
  }

  /**
   * Starts watching; returns at once, without waiting for the API server.
   *
   * @param seen called after every event (the status follows the object's generation)
   */
  public static DirectorWatch start(
      KubernetesClient client, String name, DirectorFollower follower, Runnable seen) {
    Objects.requireNonNull(follower, "follower");
    SharedIndexInformer<Director> informer =
        client.resources(Director.class).withName(name).runnableInformer(0);
    AtomicBoolean failing = new AtomicBoolean();
    informer.exceptionHandler(
        (started, error) -> {
          if (!failing.getAndSet(true)) {
            LOG.warn(
                "director watch failing, retrying name={} error=\"{}\"", name, error.getMessage());
          }
          return true;
        });
    informer.addEventHandler(
        new ResourceEventHandler<Director>() {
          @Override
          public void onAdd(Director director) {
            recovered();
            follower.onDirector(director);
            seen.run();
          }

          @Override
          public void onUpdate(Director before, Director director) {
            recovered();
            follower.onDirector(director);
            seen.run();
          }

          @Override
          public void onDelete(Director director, boolean finalStateUnknown) {
            recovered();
            LOG.warn("director deleted name={}", name);
            follower.onAbsent();
          }

          @Override
          public void onNothing() {
            recovered();
            LOG.warn("no director for this node name={}", name);
            follower.onAbsent();
          }

          private void recovered() {
            if (failing.getAndSet(false)) {
              LOG.info("director watch running again name={}", name);
            }
          }
        });
    informer.start();
    return new DirectorWatch(informer);
  }

  /** The Director as the watch last saw it. */
  public Optional<Director> cached() {
    List<Director> list = informer.getStore().list();
    return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
  }

  /** Whether the first list succeeded: the watch knows the API server's view. */
  public boolean synced() {
    return informer.hasSynced();
  }

  @Override
  public void close() {
    informer.stop();
  }
}
