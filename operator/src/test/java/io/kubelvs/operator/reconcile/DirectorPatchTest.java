package io.kubelvs.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import io.kubelvs.api.v1alpha1.VirtualServer;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
import io.kubelvs.api.v1alpha1.VirtualServerSetRef;
import io.kubelvs.api.v1alpha1.VrrpInstance;
import io.kubelvs.operator.plan.VirtualServiceKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The patch a planned Director is written with, against the mock API server: it carries only what
 * changed, the API server's copy ends up as planned, and a stale cache gets a 409 instead of having
 * its index-addressed operations land on another list.
 */
class DirectorPatchTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private KubeMock kube;
  private Director cached;
  private Director referencing;

  @BeforeEach
  void twoVirtualServersOnADirector() throws InterruptedException {
    kube = new KubeMock();
    kube.addNode("director-1", "seed", "198.18.100.1");
    kube.applySample("seed/directorpool.yaml");
    kube.applySample("seed/virtualservice.yaml");
    kube.applySample("tcp-check/virtualservice.yaml");
    try (var client = kube.client();
        var operator =
            new ClusterReconciler(
                client, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC))) {
      operator.start();
      operator.reconcileNow();
    }
    referencing = kube.admin().resources(Director.class).withName("director-1").get();
    assertThat(referencing.getSpec().vrrpInstances().get(0).virtualServerSet()).isNotNull();
    // The servers inline, as a hand-written Director carries them.
    Director inline = kube.admin().resources(Director.class).withName("director-1").get();
    inline.setSpec(
        VirtualServerSets.resolved(
            inline.getSpec(),
            VirtualServerSets.byName(
                kube.admin().resources(VirtualServerSet.class).list().getItems())));
    cached = kube.admin().resource(inline).update();
    assertThat(cached.getSpec().allVirtualServers()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(cached.getSpec().vrrpInstances().get(0).virtualServers()).isNotEmpty();
  }

  @AfterEach
  void stop() {
    kube.close();
  }

  @Test
  void oneChangedVirtualServerIsOneReplaceBehindTheResourceVersion() {
    Director planned = withFirstRealServerWeight(cached, 0, 7);

    ArrayNode ops = DirectorPatch.between(cached, planned);

    assertThat(ops).hasSize(2);
    assertThat(ops.get(0).get("path").asText()).isEqualTo("/metadata/resourceVersion");
    assertThat(ops.get(0).get("value").asText())
        .isEqualTo(cached.getMetadata().getResourceVersion());
    assertThat(ops.get(1).get("op").asText()).isEqualTo("replace");
    assertThat(ops.get(1).get("path").asText()).isEqualTo("/spec/vrrpInstances/0/virtualServers/0");
  }

  @Test
  void aNewGenerationOfTheSetAnInstanceNamesIsOneAddBehindTheResourceVersion() {
    VrrpInstance first = referencing.getSpec().vrrpInstances().get(0);
    VirtualServerSetRef next =
        new VirtualServerSetRef(
            first.virtualServerSet().name(), first.virtualServerSet().generation() + 1);
    Director planned = withFirstInstance(referencing, "virtualServerSet", next);

    ArrayNode ops = DirectorPatch.between(referencing, planned);

    assertThat(ops).hasSize(2);
    assertThat(ops.get(1).get("op").asText()).isEqualTo("add");
    assertThat(ops.get(1).get("path").asText()).isEqualTo("/spec/vrrpInstances/0/virtualServerSet");
    assertThat(ops.get(1).get("value").get("generation").asLong()).isEqualTo(next.generation());
  }

  @Test
  void anInstanceWhoseOwnFieldsChangedIsReplacedWhole() {
    Director planned =
        withFirstInstance(
            cached, "priority", cached.getSpec().vrrpInstances().get(0).priority() - 1);

    ArrayNode ops = DirectorPatch.between(cached, planned);

    assertThat(ops).hasSize(2);
    assertThat(ops.get(1).get("op").asText()).isEqualTo("replace");
    assertThat(ops.get(1).get("path").asText()).isEqualTo("/spec/vrrpInstances/0");
    assertThat(patch(ops).getSpec()).isEqualTo(planned.getSpec());
  }

  @Test
  void thePatchedDirectorIsThePlannedOne() {
    Director planned = withFirstRealServerWeight(cached, 0, 7);

    Director written = patch(DirectorPatch.between(cached, planned));

    assertThat(written.getSpec()).isEqualTo(planned.getSpec());
    assertThat(kube.admin().resources(Director.class).withName("director-1").get().getSpec())
        .isEqualTo(planned.getSpec());
  }

  @Test
  void aListOfAnotherLengthIsReplacedWhole() {
    List<VirtualServer> fewer =
        new ArrayList<>(cached.getSpec().vrrpInstances().get(0).virtualServers());
    fewer.remove(0);
    Director planned = withServers(cached, fewer);

    ArrayNode ops = DirectorPatch.between(cached, planned);

    assertThat(ops).hasSize(2);
    assertThat(ops.get(1).get("path").asText()).isEqualTo("/spec/vrrpInstances/0/virtualServers");
    assertThat(patch(ops).getSpec()).isEqualTo(planned.getSpec());
  }

  @Test
  void aStaleCacheGetsAConflict() {
    Director first = withFirstRealServerWeight(cached, 0, 7);
    patch(DirectorPatch.between(cached, first));

    ArrayNode stale = DirectorPatch.between(cached, withFirstRealServerWeight(cached, 0, 9));

    assertThatThrownBy(() -> patch(stale))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(kube.admin().resources(Director.class).withName("director-1").get().getSpec())
        .isEqualTo(first.getSpec());
  }

  @Test
  void theServicesChangedAreThoseOfAChangedServerOrOfAChangedInstance() {
    VirtualServer first = cached.getSpec().vrrpInstances().get(0).virtualServers().get(0);
    VirtualServiceKey owner =
        new VirtualServiceKey(first.owner().namespace(), first.owner().name());

    assertThat(
            DirectorPatch.servicesChanged(
                cached.getSpec(), withFirstRealServerWeight(cached, 0, 7).getSpec()))
        .containsExactly(owner);
    assertThat(DirectorPatch.servicesChanged(cached.getSpec(), copy(cached).getSpec())).isEmpty();

    VrrpInstance first0 = cached.getSpec().vrrpInstances().get(0);
    DirectorSpec lower = withFirstInstance(cached, "priority", first0.priority() - 1).getSpec();
    assertThat(DirectorPatch.servicesChanged(cached.getSpec(), lower))
        .containsExactlyInAnyOrderElementsOf(
            first0.virtualServers().stream()
                .map(v -> new VirtualServiceKey(v.owner().namespace(), v.owner().name()))
                .collect(java.util.stream.Collectors.toSet()));
  }

  @Test
  void anUnchangedDirectorIsOnlyThePrecondition() {
    assertThat(DirectorPatch.between(cached, copy(cached))).hasSize(1);
  }

  private Director patch(ArrayNode ops) {
    return kube.admin()
        .resources(Director.class)
        .withName("director-1")
        .patch(PatchContext.of(PatchType.JSON), ops.toString());
  }

  private static Director copy(Director director) {
    return Serialization.clone(director);
  }

  /** The Director with its first instance's virtual servers replaced. */
  private static Director withServers(Director director, List<VirtualServer> virtualServers) {
    return withFirstInstance(director, "virtualServers", virtualServers);
  }

  /** The Director with one field of its first instance set to {@code value}. */
  private static Director withFirstInstance(Director director, String field, Object value) {
    Director planned = copy(director);
    DirectorSpec spec = director.getSpec();
    List<VrrpInstance> instances = new ArrayList<>(spec.vrrpInstances());
    ObjectNode tree = JSON.convertValue(instances.get(0), ObjectNode.class);
    tree.set(field, JSON.convertValue(value, JsonNode.class));
    instances.set(0, JSON.convertValue(tree, VrrpInstance.class));
    planned.setSpec(
        new DirectorSpec(
            spec.nodeName(),
            spec.poolName(),
            instances,
            spec.virtualServers(),
            spec.notification()));
    return planned;
  }

  private static Director withFirstRealServerWeight(Director director, int index, int weight) {
    List<VirtualServer> servers =
        new ArrayList<>(director.getSpec().vrrpInstances().get(0).virtualServers());
    ObjectNode tree = JSON.convertValue(servers.get(index), ObjectNode.class);
    JsonNode first = tree.withArray("realServers").get(0);
    ((ObjectNode) first).put("weight", weight);
    servers.set(index, JSON.convertValue(tree, VirtualServer.class));
    return withServers(director, servers);
  }
}
