package io.kubelvs.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.VirtualService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * fabric8's Kubernetes mock server in CRUD mode, with kubelvs' CRDs installed (so it knows their
 * status subresources) and the manifests under samples/ at hand.
 */
public final class KubeMock implements AutoCloseable {
  static final Path REPO = Path.of(System.getProperty("user.dir"), "..");

  /** The mock logs every request at INFO; held here so the setting is not garbage-collected. */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final KubernetesMockServer server =
      new KubernetesMockServer(
          new Context(),
          new MockWebServer(),
          new HashMap<>(),
          new KubernetesCrudDispatcher(List.of()),
          false);
  private final KubernetesClient admin;

  public KubeMock() {
    server.init(InetAddress.getLoopbackAddress(), 0);
    admin = client();
    for (String crd :
        List.of(
            "directorpools.kubelvs.io.yaml",
            "directors.kubelvs.io.yaml",
            "virtualservices.kubelvs.io.yaml",
            "virtualserversets.kubelvs.io.yaml")) {
      admin
          .resource(read(REPO.resolve("crds").resolve(crd), CustomResourceDefinition.class))
          .create();
    }
  }

  /** A new client; the caller closes it. */
  public KubernetesClient client() {
    return client(null);
  }

  /**
   * A new client whose requests carry {@code userAgent} (when not null), so that a test can tell
   * them apart ({@link #takeRequests}); the caller closes it.
   */
  public KubernetesClient client(String userAgent) {
    ConfigBuilder builder =
        new ConfigBuilder(Config.empty())
            .withMasterUrl("http://127.0.0.1:" + server.getPort())
            .withNamespace("default")
            .withRequestTimeout(10_000)
            .withWatchReconnectInterval(200);
    if (userAgent != null) {
      builder.withUserAgent(userAgent);
    }
    return new KubernetesClientBuilder().withConfig(builder.build()).build();
  }

  /** The client the test uses as a user, or as an agent. */
  public KubernetesClient admin() {
    return admin;
  }

  /** Creates every DirectorPool and VirtualService of a sample file, as {@code kubectl apply}. */
  public void applySample(String sample) {
    String text;
    try {
      text = Files.readString(REPO.resolve("samples").resolve(sample));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String doc : text.split("(?m)^---\\s*$")) {
      if (doc.contains("kind: DirectorPool")) {
        admin.resource(Serialization.unmarshal(doc, DirectorPool.class)).create();
      } else if (doc.contains("kind: VirtualService")) {
        admin.resource(Serialization.unmarshal(doc, VirtualService.class)).create();
      }
    }
  }

  /** A Ready node with one InternalIP, labelled into {@code pool}. */
  public void addNode(String name, String pool, String address) {
    HasMetadata node =
        new NodeBuilder()
            .withNewMetadata()
            .withName(name)
            .addToLabels("kubelvs.io/pool", pool)
            .endMetadata()
            .withNewStatus()
            .addNewAddress()
            .withType("InternalIP")
            .withAddress(address)
            .endAddress()
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition()
            .endStatus()
            .build();
    admin.resource(node).create();
  }

  /** The requests that change something (not GET), received since the last call. */
  public List<String> takeWrites() throws InterruptedException {
    List<String> writes = new ArrayList<>();
    for (RecordedRequest r = server.takeRequest(0, TimeUnit.SECONDS);
        r != null;
        r = server.takeRequest(0, TimeUnit.SECONDS)) {
      if (!r.getMethod().equals("GET")) {
        writes.add(r.getMethod() + " " + r.getPath());
      }
    }
    return writes;
  }

  /** Every request received since the last call or take, with its headers. */
  public List<RecordedRequest> takeRequests() throws InterruptedException {
    List<RecordedRequest> requests = new ArrayList<>();
    for (RecordedRequest r = server.takeRequest(0, TimeUnit.SECONDS);
        r != null;
        r = server.takeRequest(0, TimeUnit.SECONDS)) {
      requests.add(r);
    }
    return requests;
  }

  static <T> T read(Path file, Class<T> type) {
    try {
      return Serialization.unmarshal(Files.readString(file), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    admin.close();
    server.destroy();
  }
}
