package io.kubelvs.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubelvs.api.v1alpha1.AgentLeases;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent's heartbeat Lease against the mock API server in CRUD mode. */
class AgentLeaseTest {
  private static final String NAMESPACE = "kubelvs-system";
  private static final String NODE = "director-1";

  private final KubeMock api = new KubeMock();
  private final KubernetesClient admin =
      new KubernetesClientBuilder().withConfig(api.config()).build();
  private final KubernetesClient agent = AgentClient.create(api.config());
  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-12-03T10:00:00Z"));
  private final InstantSource clock = () -> now.get();

  @AfterEach
  void close() {
    agent.close();
    admin.close();
    api.close();
  }

  private AgentLease lease() {
    // Renewed by hand (renew()) in these tests: the period is long.
    return AgentLease.start(
        agent,
        NAMESPACE,
        NODE,
        clock,
        new AgentLease.Settings(Duration.ofHours(1), Duration.ofSeconds(40)));
  }

  private Lease read() {
    return admin.leases().inNamespace(NAMESPACE).withName(AgentLeases.name(NODE)).get();
  }

  @Test
  void theFirstRenewalCreatesTheLeaseLabelledWithTheNode() throws Exception {
    try (AgentLease lease = lease()) {
      KubeMock.await(() -> read() != null);

      Lease written = read();
      assertThat(written.getSpec().getHolderIdentity()).isEqualTo(NODE);
      assertThat(written.getSpec().getLeaseDurationSeconds()).isEqualTo(40);
      assertThat(written.getSpec().getRenewTime().toInstant()).isEqualTo(now.get());
      assertThat(written.getMetadata().getLabels()).containsEntry(AgentLeases.NODE_LABEL, NODE);
    }
  }

  @Test
  void aRenewalMovesRenewTimeOn() throws Exception {
    try (AgentLease lease = lease()) {
      KubeMock.await(() -> read() != null);
      now.set(now.get().plusSeconds(10));

      lease.renew();

      assertThat(read().getSpec().getRenewTime().toInstant()).isEqualTo(now.get());
    }
  }

  @Test
  void aLeaseChangedByOthersIsReadAgainAndRenewed() throws Exception {
    try (AgentLease lease = lease()) {
      KubeMock.await(() -> read() != null);
      admin
          .leases()
          .inNamespace(NAMESPACE)
          .withName(AgentLeases.name(NODE))
          .edit(
              l -> {
                l.getMetadata().getLabels().put("someone", "else");
                return l;
              });
      now.set(now.get().plusSeconds(10));

      lease.renew();

      assertThat(read().getSpec().getRenewTime().toInstant()).isEqualTo(now.get());
      assertThat(read().getMetadata().getLabels()).containsEntry("someone", "else");
    }
  }

  @Test
  void aDeletedLeaseIsCreatedAgain() throws Exception {
    try (AgentLease lease = lease()) {
      KubeMock.await(() -> read() != null);
      admin.leases().inNamespace(NAMESPACE).withName(AgentLeases.name(NODE)).delete();
      KubeMock.await(() -> read() == null);

      lease.renew();

      assertThat(read()).isNotNull();
    }
  }
}
