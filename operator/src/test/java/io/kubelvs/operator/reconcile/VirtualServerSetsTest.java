package io.kubelvs.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
import io.kubelvs.api.v1alpha1.VirtualServerSetRef;
import io.kubelvs.api.v1alpha1.VrrpInstance;
import io.kubelvs.operator.plan.Allocations;
import io.kubelvs.operator.plan.NodeFacts;
import io.kubelvs.operator.plan.Plan;
import io.kubelvs.operator.plan.PlanInput;
import io.kubelvs.operator.plan.Planner;
import io.kubelvs.operator.plan.VirtualServiceKey;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The seed sample planned, as written: its instance's servers in a set the Directors name. */
class VirtualServerSetsTest {
  private DirectorPool pool;
  private Plan plan;
  private SortedMap<String, VirtualServerSet> sets;

  @BeforeEach
  void plan() {
    KubeMock kube = new KubeMock();
    try {
      kube.applySample("seed/directorpool.yaml");
      kube.applySample("seed/virtualservice.yaml");
      kube.applySample("tcp-check/virtualservice.yaml");
      pool = kube.admin().resources(DirectorPool.class).withName("seed").get();
      plan =
          Planner.plan(
              new PlanInput(
                  List.of(pool),
                  kube.admin()
                      .resources(io.kubelvs.api.v1alpha1.VirtualService.class)
                      .inAnyNamespace()
                      .list()
                      .getItems(),
                  List.of(node("director-1", "198.18.100.1"), node("director-2", "198.18.100.2")),
                  List.of(),
                  Allocations.none()));
    } finally {
      kube.close();
    }
    sets = VirtualServerSets.desired(plan.directors(), List.of(pool));
  }

  @Test
  void oneSetPerInstanceOfThePoolHoldsWhatEveryNodeOfThePoolCarries() {
    assertThat(sets).containsOnlyKeys("seed.99");
    VirtualServerSet set = sets.get("seed.99");
    assertThat(set.getSpec().instanceName()).isEqualTo("seed-99");
    assertThat(set.getSpec().virtualServers())
        .isEqualTo(plan.directors().get("director-1").vrrpInstances().get(0).virtualServers())
        .isEqualTo(plan.directors().get("director-2").vrrpInstances().get(0).virtualServers());
    assertThat(set.getMetadata().getLabels()).containsEntry("kubelvs.io/pool", "seed");
    assertThat(set.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("seed");
  }

  @Test
  void aNewDirectorNamesTheSetsCurrentGeneration() {
    SortedMap<String, DirectorSpec> written =
        VirtualServerSets.referencing(plan.directors(), sets, Map.of("seed.99", 4L), Map.of());

    VrrpInstance instance = written.get("director-1").vrrpInstances().get(0);
    assertThat(instance.virtualServers()).isNull();
    assertThat(instance.virtualServerSet()).isEqualTo(new VirtualServerSetRef("seed.99", 4L));
  }

  @Test
  void anUnchangedInstanceKeepsTheGenerationItNamesAChangedOneNamesTheCurrent() {
    Map<String, Director> cached =
        Map.of(
            "director-1",
            director(
                "director-1",
                VirtualServerSets.referencing(
                        plan.directors(), sets, Map.of("seed.99", 2L), Map.of())
                    .get("director-1")));

    assertThat(
            VirtualServerSets.referencing(plan.directors(), sets, Map.of("seed.99", 7L), cached)
                .get("director-1")
                .vrrpInstances()
                .get(0)
                .virtualServerSet())
        .isEqualTo(new VirtualServerSetRef("seed.99", 2L));

    // Its priority changed: the instance is rewritten, naming the set as it is now.
    SortedMap<String, DirectorSpec> changed = new TreeMap<>(plan.directors());
    DirectorSpec spec = changed.get("director-1");
    VrrpInstance i = spec.vrrpInstances().get(0);
    VrrpInstance lower =
        new VrrpInstance(
            i.name(),
            i.networkInterface(),
            i.vrid(),
            i.priority() - 1,
            i.version(),
            i.advertInterval(),
            i.multicastGroup(),
            i.unicastPeers(),
            i.authentication(),
            i.preempt(),
            i.preemptDelay(),
            i.gratuitousArp(),
            i.vips(),
            i.virtualServers(),
            null);
    changed.put(
        "director-1",
        new DirectorSpec(
            spec.nodeName(),
            spec.poolName(),
            List.of(lower),
            spec.virtualServers(),
            spec.notification()));
    assertThat(
            VirtualServerSets.referencing(changed, sets, Map.of("seed.99", 7L), cached)
                .get("director-1")
                .vrrpInstances()
                .get(0)
                .virtualServerSet())
        .isEqualTo(new VirtualServerSetRef("seed.99", 7L));
  }

  @Test
  void aDirectorRunsItsSetsServersOnceTheSetIsAtTheGenerationItNames() {
    DirectorSpec written =
        VirtualServerSets.referencing(plan.directors(), sets, Map.of("seed.99", 3L), Map.of())
            .get("director-1");
    VirtualServerSet set = sets.get("seed.99");

    set.getMetadata().setGeneration(2L);
    assertThat(VirtualServerSets.resolved(written, Map.of("seed.99", set)).allVirtualServers())
        .isEmpty();
    set.getMetadata().setGeneration(3L);
    assertThat(VirtualServerSets.resolved(written, Map.of("seed.99", set)))
        .isEqualTo(plan.directors().get("director-1"));
    set.getMetadata().setGeneration(9L);
    assertThat(VirtualServerSets.resolved(written, Map.of("seed.99", set)))
        .isEqualTo(plan.directors().get("director-1"));
  }

  @Test
  void theServicesChangedInASetAreThoseWithANewOrChangedServer() {
    VirtualServerSet set = sets.get("seed.99");
    VirtualServerSet fewer = new VirtualServerSet();
    fewer.setMetadata(set.getMetadata());
    fewer.setSpec(
        new io.kubelvs.api.v1alpha1.VirtualServerSetSpec(
            "seed", "seed-99", set.getSpec().virtualServers().subList(0, 1)));

    assertThat(SetChanges.servicesChanged(fewer, set))
        .containsExactly(
            new VirtualServiceKey(
                set.getSpec().virtualServers().get(1).owner().namespace(),
                set.getSpec().virtualServers().get(1).owner().name()));
    assertThat(SetChanges.servicesChanged(set, fewer)).isEmpty();
    assertThat(SetChanges.servicesChanged(null, set)).hasSize(2);
  }

  @Test
  void aSetsNameIsItsPoolsAndVridWithinTheLimitOfObjectNames() {
    assertThat(VirtualServerSets.name("seed", 99)).isEqualTo("seed.99");
    assertThat(VirtualServerSets.name("p".repeat(253), 255)).hasSize(253).endsWith("p.255");
  }

  private static Director director(String name, DirectorSpec spec) {
    Director d = new Director();
    d.setMetadata(new ObjectMetaBuilder().withName(name).build());
    d.setSpec(spec);
    return d;
  }

  private static NodeFacts node(String name, String address) {
    return new NodeFacts(name, Map.of("kubelvs.io/pool", "seed"), List.of(address), true);
  }
}
