package io.kubelvs.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kubelvs.agent.config.GlobalDefs;
import io.kubelvs.agent.config.NodeConfig;
import io.kubelvs.agent.config.VrrpConfig;
import io.kubelvs.agent.observe.DirectorStatus;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Least privilege: every request the agent's Kubernetes side makes - watching its Director, reading
 * the VRRP Secret, writing status, recording and aggregating Events, through a refused spec and a
 * deletion - is allowed by deploy/base/agent-rbac.yaml, as an API server's RBAC would decide it;
 * and each rule there is used.
 */
class AgentRbacTest {
  private static final String NODE = "node-a";
  private static final String NAMESPACE = "kubelvs-system";
  private static final Path RBAC = Path.of("..", "deploy", "base", "agent-rbac.yaml");

  @TempDir Path stateDir;

  /** One request as RBAC sees it. */
  record Access(String group, String resource, String verb, String namespace) {}

  @Test
  void everyRequestOfTheAgentIsAllowedByItsRoles() throws Exception {
    List<Access> made;
    try (KubeMock api = new KubeMock();
        KubernetesClient admin = new KubernetesClientBuilder().withConfig(api.config()).build();
        KubernetesClient agent = AgentClient.create(api.config())) {
      KubeMock.createSecret(admin, NAMESPACE, "vrrp-auth", "password", "s3cret");
      admin.resource(KubeMock.director(NODE, spec("pool-1"))).create();

      DirectorFollower follower =
          new DirectorFollower(
              NODE,
              AgentRbacTest::map,
              (name, key) ->
                  Optional.ofNullable(agent.secrets().inNamespace(NAMESPACE).withName(name).get())
                      .map(s -> s.getStringData() == null ? null : s.getStringData().get(key)),
              config -> {},
              new DirectorStore(stateDir),
              new DirectorFollower.Listener() {
                @Override
                public void appliedChanged(DirectorStatusBuilder.Applied applied) {}

                @Override
                public void refused(Director director, String message) {}
              });
      DirectorWatch watch = DirectorWatch.start(agent, NODE, follower, () -> {});
      StatusWriter status =
          new StatusWriter(
              agent,
              NODE,
              // Read from the API server each time, as when the watch has not listed yet.
              Optional::empty,
              d ->
                  DirectorStatusBuilder.build(
                      facts(),
                      follower.applied(),
                      d.getMetadata().getGeneration(),
                      d.getStatus(),
                      Instant.now()),
              new StatusWriter.Settings(
                  Duration.ofMillis(50), Duration.ofMinutes(10), Duration.ofMillis(200)));
      EventRecorder events =
          new EventRecorder(
              agent,
              NAMESPACE,
              () -> DirectorEvents.reference(NODE, watch.cached()),
              NODE,
              InstantSource.system(),
              new EventRecorder.Settings(
                  Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMinutes(5), 16));
      try {
        await(() -> follower.applied().generation().isPresent());
        status.changed();
        for (int i = 0; i < 3; i++) {
          events.record("Warning", "RealServerDown", "rs", "down", Optional.empty());
          Thread.sleep(120);
        }
        await(() -> admin.resources(Director.class).withName(NODE).get().getStatus() != null);
        admin
            .resources(Director.class)
            .withName(NODE)
            .edit(
                d -> {
                  d.setSpec(spec("invalid"));
                  return d;
                });
        await(() -> follower.applied().refused().isPresent());
        admin.resources(Director.class).withName(NODE).delete();
        await(() -> follower.applied().generation().isEmpty());
      } finally {
        events.flushAndClose(Duration.ofSeconds(5));
        status.close();
        watch.close();
        follower.close();
      }
      made = new ArrayList<>();
      for (RecordedRequest r : api.takeRequests()) {
        String agentHeader = r.getHeader("User-Agent");
        if (agentHeader != null && agentHeader.startsWith(AgentClient.USER_AGENT)) {
          made.add(access(r));
        }
      }
    }

    List<PolicyRule> cluster = new ArrayList<>();
    List<PolicyRule> namespaced = new ArrayList<>();
    try (InputStream in = Files.newInputStream(RBAC);
        KubernetesClient offline = new KubernetesClientBuilder().build()) {
      for (HasMetadata item : offline.load(in).items()) {
        if (item instanceof ClusterRole role) {
          cluster.addAll(role.getRules());
        } else if (item instanceof Role role) {
          assertThat(role.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
          namespaced.addAll(role.getRules());
        }
      }
    }
    assertThat(made)
        .extracting(Access::verb)
        .contains("list", "watch", "get", "update", "create", "patch");
    for (Access access : made) {
      boolean allowed =
          cluster.stream().anyMatch(rule -> allows(rule, access))
              || (NAMESPACE.equals(access.namespace())
                  && namespaced.stream().anyMatch(rule -> allows(rule, access)));
      assertThat(allowed).as("allowed by %s: %s", RBAC, access).isTrue();
    }
    for (PolicyRule rule : concat(cluster, namespaced)) {
      for (String verb : rule.getVerbs()) {
        assertThat(made)
            .as("rule %s %s %s is used", rule.getApiGroups(), rule.getResources(), verb)
            .anyMatch(
                a ->
                    rule.getApiGroups().contains(a.group())
                        && rule.getResources().contains(a.resource())
                        && a.verb().equals(verb));
      }
    }
  }

  private static List<PolicyRule> concat(List<PolicyRule> a, List<PolicyRule> b) {
    List<PolicyRule> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static boolean allows(PolicyRule rule, Access access) {
    return rule.getApiGroups().contains(access.group())
        && rule.getResources().contains(access.resource())
        && rule.getVerbs().contains(access.verb());
  }

  /** The RBAC attributes of a request: /api/v1/... or /apis/GROUP/VERSION/..., verb from method. */
  static Access access(RecordedRequest request) {
    URI uri = URI.create(request.getPath());
    List<String> parts = new ArrayList<>(List.of(uri.getPath().substring(1).split("/")));
    String group;
    if (parts.get(0).equals("api")) {
      group = "";
      parts = parts.subList(2, parts.size());
    } else {
      group = parts.get(1);
      parts = parts.subList(3, parts.size());
    }
    String namespace = null;
    if (parts.size() >= 2 && parts.get(0).equals("namespaces")) {
      namespace = parts.get(1);
      parts = parts.subList(2, parts.size());
    }
    String resource = parts.get(0);
    boolean named = parts.size() >= 2;
    if (parts.size() >= 3) {
      resource = resource + "/" + parts.get(2);
    }
    String query = uri.getQuery() == null ? "" : uri.getQuery();
    String verb =
        switch (request.getMethod()) {
          case "GET" -> named ? "get" : query.contains("watch=true") ? "watch" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> "delete";
          default -> request.getMethod();
        };
    return new Access(group, resource, verb, namespace);
  }

  private static DirectorSpec spec(String pool) {
    return new DirectorSpec(NODE, pool, List.of(), List.of(), null);
  }

  private static SpecMapping.Mapped map(Director director, SecretReader secrets)
      throws SpecMapping.Refused {
    if (director.getSpec().poolName().equals("invalid")) {
      throw new SpecMapping.Refused("spec.poolName: invalid");
    }
    String password = secrets.read("vrrp-auth", "password").orElseThrow();
    return new SpecMapping.Mapped(
        new NodeConfig(
            new GlobalDefs(NODE, List.of(), password, Optional.empty(), Duration.ofSeconds(30)),
            new VrrpConfig(List.of(), Set.of()),
            List.of()),
        Map.of());
  }

  private static DirectorStatus facts() {
    return new DirectorStatus(
        Instant.now().toString(), List.of(), List.of(), List.of(), null, List.of());
  }

  private static void await(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s");
      }
      Thread.sleep(50);
    }
  }
}
