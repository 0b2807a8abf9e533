package io.kubelvs.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubelvs.api.v1alpha1.Director;
import java.net.HttpURLConnection;
import java.util.HashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one pass's changes to the API server: Directors (metadata and spec only; their status is
 * the agent's) and the status subresource of pools and VirtualServices (never their spec, so GitOps
 * tools see no drift). Statuses go by ordinary update of the status subresource with the
 * resourceVersion they were computed against, which the fabric8 mock server and every API server
 * accept; no server-side apply.
 *
 * <p>A 409 (the object changed, or a Director already exists) is not an error: the cache is behind,
 * and the event that brings it up to date starts another pass. Any other failure is counted and the
 * pass is retried.
 */
final class Writes {
  private static final Logger LOG = LoggerFactory.getLogger(Writes.class);

  private final KubernetesClient client;
  private final ReconcileMetrics metrics;
  private int failures;

  Writes(KubernetesClient client, ReconcileMetrics metrics) {
    this.client = client;
    this.metrics = metrics;
  }

  int failures() {
    return failures;
  }

  void apply(DirectorChanges directors, StatusChanges statuses) {
    for (Director d : directors.create()) {
      write("create", d, () -> client.resource(d).create());
    }
    for (Director d : directors.update()) {
      write(
          "update",
          d,
          () ->
              client
                  .resources(Director.class)
                  .withName(d.getMetadata().getName())
                  .edit(
                      current -> {
                        current.setSpec(d.getSpec());
                        current
                            .getMetadata()
                            .setOwnerReferences(d.getMetadata().getOwnerReferences());
                        var labels =
                            current.getMetadata().getLabels() == null
                                ? new HashMap<String, String>()
                                : new HashMap<>(current.getMetadata().getLabels());
                        labels.putAll(d.getMetadata().getLabels());
                        current.getMetadata().setLabels(labels);
                        return current;
                      }));
    }
    for (String name : directors.delete()) {
      Director d = new Director();
      d.getMetadata().setName(name);
      write("delete", d, () -> client.resources(Director.class).withName(name).delete());
    }
    statuses.pools().forEach(p -> write("status", p, () -> client.resource(p).updateStatus()));
    statuses
        .virtualServices()
        .forEach(v -> write("status", v, () -> client.resource(v).updateStatus()));
  }

  private void write(String verb, HasMetadata object, Runnable request) {
    String what = object.getKind() + " " + name(object);
    try {
      request.run();
      metrics.write(verb, "ok");
      LOG.info("written verb={} object=\"{}\"", verb, what);
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        metrics.write(verb, "conflict");
        LOG.debug("write conflict, the cache is behind verb={} object=\"{}\"", verb, what);
      } else if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND && !verb.equals("create")) {
        metrics.write(verb, "gone");
        LOG.debug("object gone before the write verb={} object=\"{}\"", verb, what);
      } else {
        failures++;
        metrics.write(verb, "failed");
        LOG.warn(
            "write failed, will retry verb={} object=\"{}\" code={} error=\"{}\"",
            verb,
            what,
            e.getCode(),
            e.getMessage());
      }
    }
  }

  private static String name(HasMetadata object) {
    String ns = object.getMetadata().getNamespace();
    return ns == null ? object.getMetadata().getName() : ns + "/" + object.getMetadata().getName();
  }
}
