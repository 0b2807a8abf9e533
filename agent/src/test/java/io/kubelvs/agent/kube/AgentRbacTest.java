package io.kubelvs.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kubelvs.agent.config.GlobalDefs;
import io.kubelvs.agent.config.NodeConfig;
import io.kubelvs.agent.config.VrrpConfig;
import io.kubelvs.agent.observe.DirectorStatus;
import io.kubelvs.api.deploy.ApiRequest;
import io.kubelvs.api.deploy.Manifests;
import io.kubelvs.api.deploy.RbacPolicy;
import io.kubelvs.api.v1alpha1.AgentLeases;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorSpec;
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
 * Least privilege: every request the agent's Kubernetes side makes - watching its Director and its
 * pool's VirtualServerSets, reading the VRRP Secret, writing status, recording and aggregating
 * Events, through a refused spec and a deletion - is allowed by deploy/base/agent-rbac.yaml, as an
 * API server's RBAC would decide it; and each rule there is used.
 */
class AgentRbacTest {
  private static final String NODE = "node-a";
  private static final String NAMESPACE = "kubelvs-system";
  private static final Path RBAC = Path.of("..", "deploy", "base", "agent-rbac.yaml");

  @TempDir Path stateDir;

  @Test
  void everyRequestOfTheAgentIsAllowedByItsRoles() throws Exception {
    List<ApiRequest> made;
    try (KubeMock api = new KubeMock();
        KubernetesClient admin = new KubernetesClientBuilder().withConfig(api.config()).build();
        KubernetesClient agent = AgentClient.create(api.config())) {
      KubeMock.createSecret(admin, NAMESPACE, "vrrp-auth", "password", "s3cret");
      admin.resource(KubeMock.director(NODE, spec("pool-1"))).create();

      VirtualServerSetWatch sets = new VirtualServerSetWatch(agent);
      DirectorFollower follower =
          new DirectorFollower(
              NODE,
              AgentRbacTest::map,
              (name, key) ->
                  Optional.ofNullable(agent.secrets().inNamespace(NAMESPACE).withName(name).get())
                      .map(s -> s.getStringData() == null ? null : s.getStringData().get(key)),
              sets,
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
      AgentLease lease =
          AgentLease.start(
              agent,
              NAMESPACE,
              NODE,
              InstantSource.system(),
              new AgentLease.Settings(Duration.ofMillis(50), Duration.ofSeconds(40)));
      try {
        // The heartbeat: created, renewed, and made again after someone deleted it.
        KubeMock.await(() -> leaseRenewals(admin) >= 2);
        admin.leases().inNamespace(NAMESPACE).withName(AgentLeases.name(NODE)).delete();
        KubeMock.await(() -> leaseRenewals(admin) >= 1);
        KubeMock.await(() -> follower.applied().generation().isPresent());
        status.changed();
        for (int i = 0; i < 3; i++) {
          events.record("Warning", "RealServerDown", "rs", "down", Optional.empty());
          Thread.sleep(120);
        }
        KubeMock.await(
            () -> admin.resources(Director.class).withName(NODE).get().getStatus() != null);
        admin
            .resources(Director.class)
            .withName(NODE)
            .edit(
                d -> {
                  d.setSpec(spec("invalid"));
                  return d;
                });
        KubeMock.await(() -> follower.applied().refused().isPresent());
        admin.resources(Director.class).withName(NODE).delete();
        KubeMock.await(() -> follower.applied().generation().isEmpty());
      } finally {
        lease.close();
        events.flushAndClose(Duration.ofSeconds(5));
        status.close();
        watch.close();
        sets.close();
        follower.close();
      }
      made = new ArrayList<>();
      for (RecordedRequest r : api.takeRequests()) {
        String agentHeader = r.getHeader("User-Agent");
        if (agentHeader != null && agentHeader.startsWith(AgentClient.USER_AGENT)) {
          made.add(ApiRequest.of(r.getMethod(), r.getPath()));
        }
      }
    }

    RbacPolicy policy =
        RbacPolicy.forServiceAccount(
            Manifests.load(Files.readString(RBAC)), NAMESPACE, "kubelvs-agent");
    assertThat(made)
        .extracting(ApiRequest::verb)
        .contains("list", "watch", "get", "update", "create", "patch");
    for (ApiRequest request : made) {
      assertThat(policy.allows(request)).as("allowed by %s: %s", RBAC, request).isTrue();
    }
    assertThat(policy.unused(made)).as("granted by %s but never used", RBAC).isEmpty();
  }

  private static DirectorSpec spec(String pool) {
    return new DirectorSpec(NODE, pool, List.of(), List.of(), null);
  }

  private static SpecMapping.Mapped map(Director director, SetOrigins origins, SecretReader secrets)
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

  /** Whether the agent's Lease exists and has been renewed since it was created: 2, 1 or 0. */
  private static int leaseRenewals(KubernetesClient admin) {
    var lease = admin.leases().inNamespace(NAMESPACE).withName(AgentLeases.name(NODE)).get();
    if (lease == null) {
      return 0;
    }
    return lease.getSpec().getRenewTime().isAfter(lease.getSpec().getAcquireTime()) ? 2 : 1;
  }
}
