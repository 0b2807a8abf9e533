package io.kubelvs.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
import io.kubelvs.operator.plan.VirtualServiceKey;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one pass's changes to the API server: VirtualServerSets and Directors (metadata and spec
 * only; a Director's status is the agent's) and the status subresource of pools and VirtualServices
 * (never their spec, so GitOps tools see no drift). Statuses go by ordinary update of the status
 * subresource with the resourceVersion they were computed against, which the fabric8 mock server
 * and every API server accept; no server-side apply. A Director is rewritten with a {@link
 * DirectorPatch} of what differs, not read again.
 *
 * <p>The writes of one kind go out together on the loop's writer threads, and the pass waits for
 * all of them: a change in one VirtualService rewrites the Directors of every node of its pool, and
 * one after the other they would add up. Directors go before statuses, so a status never reports a
 * plan no Director carries yet.
 *
 * <p>A 409 (the object changed, or a Director already exists) is not an error: the cache is behind.
 * It is counted apart, and the loop runs the pass again once the cache has had time to catch up
 * (the event that brings it up may be the echo of this operator's own write, which starts nothing).
 * Any other failure is counted and the pass is retried with back-off.
 */
final class Writes {
  private static final Logger LOG = LoggerFactory.getLogger(Writes.class);

  private final KubernetesClient client;
  private final ReconcileMetrics metrics;
  private final ExecutorService writers;
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger conflicts = new AtomicInteger();
  private final List<CompletableFuture<Void>> inFlight = new ArrayList<>();

  private final OwnWrites own;

  /**
   * @param writers the threads the requests go out on
   * @param own where the answers to the writes go, to be told from other events and read back
   */
  Writes(
      KubernetesClient client, ReconcileMetrics metrics, ExecutorService writers, OwnWrites own) {
    this.client = client;
    this.metrics = metrics;
    this.writers = writers;
    this.own = own;
  }

  int failures() {
    return failures.get();
  }

  int conflicts() {
    return conflicts.get();
  }

  /**
   * Creates and rewrites VirtualServerSets (deleting waits for {@link #deleteSets}); returns when
   * every request has been answered, with the generation each written set has now.
   */
  Map<String, Long> sets(SetChanges sets) {
    Map<String, Long> generations = new ConcurrentHashMap<>();
    for (VirtualServerSet s : sets.create()) {
      String name = s.getMetadata().getName();
      Set<VirtualServiceKey> services = SetChanges.servicesChanged(null, s);
      own.planned(name, s.getSpec());
      write(
          "create",
          s,
          () -> {
            VirtualServerSet answer = client.resource(s).create();
            own.wrote(null, answer);
            generated(generations, answer, 0L, services);
          });
    }
    for (SetChanges.Update u : sets.update()) {
      String patch = SetChanges.patch(u).toString();
      String before = u.cached().getMetadata().getResourceVersion();
      Long generation = u.cached().getMetadata().getGeneration();
      Set<VirtualServiceKey> services = SetChanges.servicesChanged(u.cached(), u.planned());
      String name = u.planned().getMetadata().getName();
      own.planned(name, u.planned().getSpec());
      write(
          "update",
          u.planned(),
          () -> {
            VirtualServerSet answer = patch(VirtualServerSet.class, name, patch);
            own.wrote(before, answer);
            generated(generations, answer, generation, services);
          });
    }
    awaitAll();
    return generations;
  }

  /**
   * A set written: its new generation, and which services' entries changed in it. An API server
   * gives every object a generation; without one, the Directors carry the servers.
   */
  private void generated(
      Map<String, Long> generations,
      VirtualServerSet answer,
      Long before,
      Set<VirtualServiceKey> services) {
    Long after = answer.getMetadata().getGeneration();
    if (after != null) {
      generations.put(answer.getMetadata().getName(), after);
      if (before != null) {
        own.setChanged(answer.getMetadata().getName(), before, after, services);
      }
    }
  }

  /** Deletes VirtualServerSets no Director names any more; returns when all were answered. */
  void deleteSets(List<String> names) {
    for (String name : names) {
      VirtualServerSet s = new VirtualServerSet();
      s.getMetadata().setName(name);
      write("delete", s, () -> client.resources(VirtualServerSet.class).withName(name).delete());
    }
    awaitAll();
  }

  /**
   * Creates, rewrites and deletes Directors; returns when every request has been answered.
   *
   * @param servicesChanged per rewritten Director, the VirtualServices whose entries it changes
   */
  void directors(
      DirectorChanges directors,
      Function<DirectorChanges.Update, Set<VirtualServiceKey>> servicesChanged) {
    for (Director d : directors.create()) {
      own.planned(d.getMetadata().getName(), d.getSpec());
      write(
          "create",
          d,
          () -> {
            own.wrote(null, client.resource(d).create());
          });
    }
    for (DirectorChanges.Update u : directors.update()) {
      String patch = DirectorPatch.between(u.cached(), u.planned()).toString();
      String before = u.cached().getMetadata().getResourceVersion();
      Long generation = u.cached().getMetadata().getGeneration();
      Set<VirtualServiceKey> services = servicesChanged.apply(u);
      String name = u.planned().getMetadata().getName();
      own.planned(name, u.planned().getSpec());
      write(
          "update",
          u.planned(),
          () -> {
            Director answer = patch(Director.class, name, patch);
            own.wrote(before, answer);
            Long after = answer.getMetadata().getGeneration();
            if (generation != null && after != null) {
              own.changed(name, generation, after, services);
            }
          });
    }
    for (String name : directors.delete()) {
      Director d = new Director();
      d.getMetadata().setName(name);
      write("delete", d, () -> client.resources(Director.class).withName(name).delete());
    }
    awaitAll();
  }

  /** A JSON Patch of a cluster-scoped object; returns the object as the API server answered. */
  private <T extends HasMetadata> T patch(Class<T> kind, String name, String patch) {
    return client.resources(kind).withName(name).patch(PatchContext.of(PatchType.JSON), patch);
  }

  /** Writes the status of pools and VirtualServices; returns when every request was answered. */
  void statuses(StatusChanges statuses) {
    statuses
        .pools()
        .forEach(p -> write("status", p, () -> own.status(client.resource(p).updateStatus())));
    statuses
        .virtualServices()
        .forEach(v -> write("status", v, () -> own.status(client.resource(v).updateStatus())));
    awaitAll();
  }

  private void awaitAll() {
    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
    inFlight.clear();
  }

  private void write(String verb, HasMetadata object, Runnable request) {
    inFlight.add(CompletableFuture.runAsync(() -> send(verb, object, request), writers));
  }

  private void send(String verb, HasMetadata object, Runnable request) {
    String what = object.getKind() + " " + name(object);
    long started = System.nanoTime();
    try {
      request.run();
      metrics.write(object.getKind(), verb, "ok");
      LOG.info(
          "written verb={} object=\"{}\" ms={}",
          verb,
          what,
          (System.nanoTime() - started) / 1_000_000);
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        conflicts.incrementAndGet();
        metrics.write(object.getKind(), verb, "conflict");
        LOG.debug("write conflict, the cache is behind verb={} object=\"{}\"", verb, what);
      } else if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND && !verb.equals("create")) {
        metrics.write(object.getKind(), verb, "gone");
        LOG.debug("object gone before the write verb={} object=\"{}\"", verb, what);
      } else {
        failures.incrementAndGet();
        metrics.write(object.getKind(), verb, "failed");
        LOG.warn(
            "write failed, will retry verb={} object=\"{}\" code={} error=\"{}\"",
            verb,
            what,
            e.getCode(),
            e.getMessage());
      }
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      metrics.write(object.getKind(), verb, "failed");
      LOG.warn(
          "write failed, will retry verb={} object=\"{}\" error=\"{}\"", verb, what, e.toString());
    }
  }

  private static String name(HasMetadata object) {
    String ns = object.getMetadata().getNamespace();
    return ns == null ? object.getMetadata().getName() : ns + "/" + object.getMetadata().getName();
  }
}
