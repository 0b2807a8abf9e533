package io.kubelvs.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * fabric8's Kubernetes mock server in CRUD mode on loopback, with kubelvs' CRDs, made fit for
 * {@code kubectl}: the CRUD dispatcher answers the resources, and this class the legacy discovery
 * documents kubectl reads before it can map a kind or a short name to a resource ({@code /api},
 * {@code /apis}, {@code /api/v1}, {@code /apis/GROUP/VERSION}), which the mock lacks. kubectl asks
 * for aggregated discovery first and falls back to these when the answer is plain JSON.
 */
final class MockApiServer implements AutoCloseable {
  private static final List<String> CRDS =
      List.of(
          "directorpools.kubelvs.io.yaml",
          "directors.kubelvs.io.yaml",
          "virtualservices.kubelvs.io.yaml",
          "virtualserversets.kubelvs.io.yaml");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The mock logs every request at INFO, which under the VM's emulation costs time and floods the
   * console; held here so the setting is not garbage-collected.
   */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  /** The built-in resources kubectl, the operator and the agents touch, by group version. */
  private static final Map<String, List<Resource>> BUILT_IN =
      Map.of(
          "v1",
          List.of(
              new Resource("namespaces", "Namespace", false, "ns"),
              new Resource("nodes", "Node", false, "no"),
              new Resource("secrets", "Secret", true, null),
              new Resource("services", "Service", true, "svc"),
              new Resource("endpoints", "Endpoints", true, "ep"),
              new Resource("events", "Event", true, "ev"),
              new Resource("configmaps", "ConfigMap", true, "cm")),
          "apiextensions.k8s.io/v1",
          List.of(
              new Resource("customresourcedefinitions", "CustomResourceDefinition", false, "crd")),
          "coordination.k8s.io/v1",
          List.of(new Resource("leases", "Lease", true, null)),
          "events.k8s.io/v1",
          List.of(new Resource("events", "Event", true, "ev")),
          "discovery.k8s.io/v1",
          List.of(new Resource("endpointslices", "EndpointSlice", true, null)));

  private record Resource(String plural, String kind, boolean namespaced, String shortName) {}

  private final KubernetesMockServer server;
  private final Map<String, String> discovery = new HashMap<>();

  /** Starts the server on 127.0.0.1 (any free port) and creates the CRDs found in {@code crds}. */
  MockApiServer(Path crds) {
    KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher(List.of());
    Map<String, List<ObjectNode>> resources = new LinkedHashMap<>();
    BUILT_IN.forEach(
        (gv, list) ->
            list.forEach(
                r ->
                    resources
                        .computeIfAbsent(gv, k -> new java.util.ArrayList<>())
                        .add(resource(r))));
    List<CustomResourceDefinition> definitions =
        CRDS.stream().map(name -> read(crds.resolve(name))).toList();
    for (CustomResourceDefinition crd : definitions) {
      String gv = crd.getSpec().getGroup() + "/" + crd.getSpec().getVersions().get(0).getName();
      resources.computeIfAbsent(gv, k -> new java.util.ArrayList<>()).add(resource(crd));
    }
    buildDiscovery(resources);
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new Dispatcher() {
              @Override
              public MockResponse dispatch(RecordedRequest request) {
                String path = request.getPath().replaceFirst("\\?.*$", "");
                String document = discovery.get(path);
                if (document != null && "GET".equals(request.getMethod())) {
                  return new MockResponse()
                      .setResponseCode(200)
                      .setHeader("Content-Type", "application/json")
                      .setBody(document);
                }
                if (path.equals("/openapi/v2")) {
                  return new MockResponse()
                      .setResponseCode(200)
                      .setHeader("Content-Type", "application/octet-stream")
                      .setBody(new byte[0]);
                }
                if (path.startsWith("/openapi/")) {
                  return new MockResponse().setResponseCode(404);
                }
                return crud.dispatch(request);
              }
            },
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    try (KubernetesClient admin = client()) {
      definitions.forEach(crd -> admin.resource(crd).create());
    }
  }

  int port() {
    return server.getPort();
  }

  /** A client for the test itself; under the VM's emulation a first request takes seconds. */
  KubernetesClient client() {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl("http://127.0.0.1:" + port())
            .withNamespace("default")
            .withRequestTimeout(120_000)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** A kubeconfig file's text for this server: what kubectl and the processes are given. */
  String kubeconfig() {
    return """
        apiVersion: v1
        kind: Config
        clusters:
          - name: mock
            cluster:
              server: http://127.0.0.1:%d
        users:
          - name: e2e
            user:
              token: e2e
        contexts:
          - name: mock
            context:
              cluster: mock
              user: e2e
              namespace: default
        current-context: mock
        """
        .formatted(port());
  }

  @Override
  public void close() {
    server.destroy();
  }

  private void buildDiscovery(Map<String, List<ObjectNode>> resources) {
    ObjectNode versions = JSON.createObjectNode().put("kind", "APIVersions");
    versions.putArray("versions").add("v1");
    versions.putArray("serverAddressByClientCIDRs");
    discovery.put("/api", versions.toString());
    ObjectNode groups = JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode groupList = groups.putArray("groups");
    resources.forEach(
        (gv, list) -> {
          ObjectNode resourceList =
              JSON.createObjectNode()
                  .put("kind", "APIResourceList")
                  .put("apiVersion", "v1")
                  .put("groupVersion", gv);
          list.forEach(resourceList.putArray("resources")::add);
          if (gv.equals("v1")) {
            discovery.put("/api/v1", resourceList.toString());
            return;
          }
          discovery.put("/apis/" + gv, resourceList.toString());
          String group = gv.substring(0, gv.indexOf('/'));
          String version = gv.substring(gv.indexOf('/') + 1);
          ObjectNode groupNode = groupList.addObject().put("name", group);
          ObjectNode versionNode =
              JSON.createObjectNode().put("groupVersion", gv).put("version", version);
          groupNode.putArray("versions").add(versionNode);
          groupNode.set("preferredVersion", versionNode);
          ObjectNode groupDocument =
              JSON.createObjectNode().put("kind", "APIGroup").put("apiVersion", "v1");
          groupDocument.setAll(groupNode);
          discovery.put("/apis/" + group, groupDocument.toString());
        });
    discovery.put("/apis", groups.toString());
  }

  private static ObjectNode resource(Resource r) {
    ObjectNode node =
        JSON.createObjectNode()
            .put("name", r.plural())
            .put("singularName", r.kind().toLowerCase(java.util.Locale.ROOT))
            .put("namespaced", r.namespaced())
            .put("kind", r.kind());
    verbs(node);
    if (r.shortName() != null) {
      node.putArray("shortNames").add(r.shortName());
    }
    return node;
  }

  private static ObjectNode resource(CustomResourceDefinition crd) {
    JsonNode names = JSON.valueToTree(crd.getSpec().getNames());
    ObjectNode node =
        JSON.createObjectNode()
            .put("name", names.path("plural").asText())
            .put("singularName", names.path("singular").asText())
            .put("namespaced", "Namespaced".equals(crd.getSpec().getScope()))
            .put("kind", names.path("kind").asText());
    verbs(node);
    if (names.has("shortNames")) {
      node.set("shortNames", names.get("shortNames"));
    }
    if (names.has("categories")) {
      node.set("categories", names.get("categories"));
    }
    return node;
  }

  private static void verbs(ObjectNode node) {
    ArrayNode verbs = node.putArray("verbs");
    for (String verb :
        List.of(
            "create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")) {
      verbs.add(verb);
    }
  }

  private static CustomResourceDefinition read(Path file) {
    try {
      return Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CRD " + file, e);
    }
  }
}
