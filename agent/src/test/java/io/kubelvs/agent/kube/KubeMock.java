package io.kubelvs.agent.kube;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * fabric8's Kubernetes mock server in CRUD mode: create, get, list, watch, update and patch with
 * resourceVersions, generations and the status subresource, as an API server keeps them. It can be
 * stopped and started again on the same port with the same objects, as an API server that goes away
 * and comes back.
 */
public final class KubeMock implements AutoCloseable {
  private final KubernetesCrudDispatcher dispatcher = new KubernetesCrudDispatcher(List.of());
  private KubernetesMockServer server;
  private int port;

  public KubeMock() {
    server = newServer();
    server.init(InetAddress.getLoopbackAddress(), 0);
    port = server.getPort();
  }

  private KubernetesMockServer newServer() {
    return new KubernetesMockServer(
        new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
  }

  /** A new client of the server, as the agent makes its own; the caller closes it. */
  public KubernetesClient client() {
    return AgentClient.create(config());
  }

  public int port() {
    return port;
  }

  /** Where the server is, as a kubeconfig would say it. */
  public Config config() {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl("http://127.0.0.1:" + port)
        .withNamespace("default")
        .build();
  }

  /** Every request the server received since the last call, oldest first. */
  public List<RecordedRequest> takeRequests() throws InterruptedException {
    List<RecordedRequest> requests = new ArrayList<>();
    for (RecordedRequest r = server.takeRequest(0, TimeUnit.SECONDS);
        r != null;
        r = server.takeRequest(0, TimeUnit.SECONDS)) {
      requests.add(r);
    }
    return requests;
  }

  /** The API server goes away: connections are refused. */
  public void stop() {
    server.destroy();
  }

  /** It comes back on the same port, with the objects it had. */
  public void restart() {
    server = newServer();
    server.init(InetAddress.getLoopbackAddress(), port);
  }

  @Override
  public void close() {
    server.destroy();
  }

  /**
   * Creates the Secret {@code namespace/name} with one key, as the operator's namespace holds it.
   */
  public static void createSecret(
      KubernetesClient client, String namespace, String name, String key, String value) {
    client
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withMetadata(
                    new ObjectMetaBuilder().withName(name).withNamespace(namespace).build())
                .withStringData(Map.of(key, value))
                .build())
        .create();
  }

  /** A Director for {@code node} with {@code spec}. */
  public static Director director(String node, DirectorSpec spec) {
    Director director = new Director();
    director.setMetadata(new ObjectMetaBuilder().withName(node).build());
    director.setSpec(spec);
    return director;
  }

  /** Waits until {@code condition} holds, 30 s at most. */
  public static void await(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s");
      }
      Thread.sleep(50);
    }
  }
}
