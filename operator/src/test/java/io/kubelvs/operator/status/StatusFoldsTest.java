package io.kubelvs.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubelvs.api.v1alpha1.Condition;
import io.kubelvs.api.v1alpha1.Condition.ConditionStatus;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import io.kubelvs.api.v1alpha1.DirectorStatus;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
import io.kubelvs.api.v1alpha1.VirtualServerSetRef;
import io.kubelvs.api.v1alpha1.VirtualServerStatus;
import io.kubelvs.api.v1alpha1.VirtualService;
import io.kubelvs.api.v1alpha1.VirtualServiceStatus;
import io.kubelvs.api.v1alpha1.VrrpInstance;
import io.kubelvs.api.v1alpha1.VrrpInstanceStatus;
import io.kubelvs.api.v1alpha1.VrrpState;
import io.kubelvs.operator.plan.Allocations;
import io.kubelvs.operator.plan.NodeFacts;
import io.kubelvs.operator.plan.Plan;
import io.kubelvs.operator.plan.PlanInput;
import io.kubelvs.operator.plan.Planner;
import io.kubelvs.operator.plan.VirtualServiceKey;
import io.kubelvs.operator.plan.VirtualServiceOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Folding only what changed gives what folding everything from scratch gives, whatever changes: a
 * world of six services on two Directors whose one set, Director objects, silence, the operator's
 * knowledge of when a service changed and the services themselves change at random.
 */
class StatusFoldsTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final List<String> NODES = List.of("director-1", "director-2");

  @Test
  void foldingWhatChangedEqualsFoldingEverythingFromScratch() {
    for (long seed = 0; seed < 20; seed++) {
      World world = new World(new Random(seed));
      StatusFolds folds = new StatusFolds();
      for (int step = 0; step < 60; step++) {
        world.change();
        Map<VirtualServiceKey, VirtualServiceStatus> kept = world.fold(folds);
        assertThat(kept).as("seed %d step %d", seed, step).isEqualTo(world.fromScratch());
        world.echo(kept, true);
      }
    }
  }

  @Test
  void aPassFoldsAgainOnlyTheServicesWhoseInputsChanged() {
    World world = new World(new Random(1));
    StatusFolds folds = new StatusFolds();
    world.report("director-1", true, 3);
    world.report("director-2", true, 3);

    world.echo(world.fold(folds), false);
    assertThat(folds.foldedLastPass()).isEqualTo(6);
    world.fold(folds);
    assertThat(folds.foldedLastPass()).as("the echoed statuses: new objects").isEqualTo(6);
    world.fold(folds);
    assertThat(folds.foldedLastPass()).as("nothing changed").isZero();

    world.services.set(2, world.copy(world.services.get(2), 2L, null));
    world.fold(folds);
    assertThat(folds.foldedLastPass()).as("one service changed").isEqualTo(1);

    world.changedAt(VirtualServiceKey.of(world.services.get(4)), 9);
    world.fold(folds);
    assertThat(folds.foldedLastPass()).as("one service not applied any more").isEqualTo(1);

    world.report("director-2", true, 3);
    world.fold(folds);
    assertThat(folds.foldedLastPass()).as("a Director both carry reported").isEqualTo(6);
  }

  /** Two Directors naming one set that holds six services, and what their agents report. */
  private static final class World implements DirectorView.ChangedAt {
    final Random random;
    final DirectorPool pool;
    Plan plan;
    final List<VirtualService> services = new ArrayList<>();
    final Map<String, Director> directors = new HashMap<>();
    final Map<String, Instant> silent = new HashMap<>();
    final Map<VirtualServiceKey, Long> changedInSet = new HashMap<>();
    long version;
    VirtualServerSet set;

    World(Random random) {
      this.random = random;
      Seed seed = new Seed(1);
      String sample = Serialization.asYaml(seed.service);
      for (int i = 0; i < 6; i++) {
        VirtualService vs =
            Serialization.unmarshal(
                sample
                    .replace("name: \"seed-web\"", "name: \"web-" + i + "\"")
                    .replace("port: 80\n    protocol", "port: " + (80 + i) + "\n    protocol"),
                VirtualService.class);
        assertThat(vs.getSpec().ports().get(0).port()).isEqualTo(80 + i);
        services.add(vs);
      }
      pool = seed.pool;
      plan = plan(services, true);
      DirectorSpec planned = plan.directors().get("director-1");
      VrrpInstance instance = planned.vrrpInstances().get(0);
      set = Seed.set(1L, instance.virtualServers());
      for (String node : NODES) {
        DirectorSpec spec = plan.directors().get(node);
        Director d = new Director();
        d.setMetadata(new ObjectMetaBuilder().withName(node).withGeneration(1L).build());
        d.setSpec(Seed.namingTheSet(spec));
        directors.put(node, d);
      }
    }

    /** The services planned onto both nodes, director-2 Ready or not. */
    Plan plan(List<VirtualService> planned, boolean secondReady) {
      return Planner.plan(
          new PlanInput(
              List.of(pool),
              planned,
              List.of(
                  new NodeFacts(
                      "director-1",
                      Map.of("kubelvs.io/pool", "seed"),
                      List.of("198.18.100.1"),
                      true),
                  new NodeFacts(
                      "director-2",
                      Map.of("kubelvs.io/pool", "seed"),
                      List.of("198.18.100.2"),
                      secondReady)),
              List.of(),
              Allocations.none()));
    }

    void change() {
      switch (random.nextInt(7)) {
        case 0 -> report(NODES.get(random.nextInt(2)), random.nextBoolean(), random.nextInt(4));
        case 1 -> {
          int i = random.nextInt(services.size());
          VirtualService vs = services.get(i);
          services.set(
              i, copy(vs, vs.getMetadata().getGeneration() + random.nextInt(2), vs.getStatus()));
        }
        case 2 -> {
          String node = NODES.get(random.nextInt(2));
          if (silent.remove(node) == null) {
            silent.put(node, NOW.minusSeconds(30));
          }
        }
        case 3 ->
            changedAt(
                VirtualServiceKey.of(services.get(random.nextInt(services.size()))),
                random.nextInt(4));
        case 4 ->
            set = Seed.set(set.getMetadata().getGeneration() + 1, set.getSpec().virtualServers());
        // A new plan: director-2 Ready or not (the planned master moves), a service left out.
        case 5 ->
            plan = plan(services.subList(random.nextInt(2), services.size()), random.nextBoolean());
        default -> {
          // Nothing changed: a pass started by a change that does not touch these services.
        }
      }
    }

    /**
     * The agent on {@code node} reports anew: any state, any health, the set run at {@code
     * setApplied}.
     */
    void report(String node, boolean applied, long setApplied) {
      Director old = directors.get(node);
      VrrpState[] states = VrrpState.values();
      List<VrrpInstanceStatus> instances =
          old.getSpec().vrrpInstances().stream()
              .map(
                  i ->
                      new VrrpInstanceStatus(
                          i.name(), states[random.nextInt(states.length)], null, 100, null, null))
              .toList();
      List<VirtualServerStatus> servers =
          Seed.serverStatuses(
              set.getSpec().virtualServers(), r -> random.nextBoolean(), random::nextBoolean);
      Director d = new Director();
      d.setMetadata(old.getMetadata());
      d.setSpec(old.getSpec());
      d.setStatus(
          new DirectorStatus(
              1L,
              List.of(new VirtualServerSetRef(Seed.SET, setApplied)),
              1,
              null,
              instances,
              servers,
              List.of(
                  new Condition(
                      "Applied",
                      applied ? ConditionStatus.True : ConditionStatus.False,
                      1L,
                      "2026-01-01T00:00:00Z",
                      "Applied",
                      "ok"))));
      directors.put(node, d);
    }

    VirtualService copy(VirtualService vs, long generation, VirtualServiceStatus status) {
      VirtualService copy = new VirtualService();
      copy.setMetadata(new ObjectMetaBuilder(vs.getMetadata()).withGeneration(generation).build());
      copy.setSpec(vs.getSpec());
      copy.setStatus(status);
      return copy;
    }

    Map<VirtualServiceKey, VirtualServiceStatus> fold(StatusFolds folds) {
      return folds.fold(
          services,
          plan.virtualServices(),
          folds.views(List.copyOf(directors.values()), Map.of(Seed.SET, set), silent, this),
          this,
          NOW);
    }

    Map<VirtualServiceKey, VirtualServiceStatus> fromScratch() {
      List<DirectorView> views =
          directors.values().stream()
              .map(
                  d ->
                      DirectorView.of(
                          d,
                          Map.of(Seed.SET, set),
                          java.util.Optional.ofNullable(silent.get(d.getMetadata().getName())),
                          this))
              .toList();
      Map<VirtualServiceKey, VirtualServiceStatus> statuses = new HashMap<>();
      for (VirtualService vs : services) {
        VirtualServiceOutcome outcome = plan.virtualServices().get(VirtualServiceKey.of(vs));
        if (outcome == null) {
          continue; // not in this plan
        }
        VirtualServiceStatus status = VirtualServiceStatuses.fold(vs, outcome, views, NOW);
        if (!status.equals(vs.getStatus())) {
          statuses.put(VirtualServiceKey.of(vs), status);
        }
      }
      return statuses;
    }

    /**
     * The writes of changed statuses come back from the API server as new objects; some fail where
     * {@code someFail}.
     */
    void echo(Map<VirtualServiceKey, VirtualServiceStatus> statuses, boolean someFail) {
      for (int i = 0; i < services.size(); i++) {
        VirtualService vs = services.get(i);
        VirtualServiceStatus status = statuses.get(VirtualServiceKey.of(vs));
        if (status != null && (!someFail || random.nextInt(4) > 0)) {
          services.set(i, copy(vs, vs.getMetadata().getGeneration(), status));
        }
      }
    }

    @Override
    public OptionalLong generation(String director, VirtualServiceKey key) {
      return OptionalLong.empty();
    }

    void changedAt(VirtualServiceKey key, long generation) {
      changedInSet.put(key, generation);
      version++;
    }

    @Override
    public long version() {
      return version;
    }

    @Override
    public OptionalLong setGeneration(String set, VirtualServiceKey key) {
      Long at = changedInSet.get(key);
      return at == null ? OptionalLong.empty() : OptionalLong.of(at);
    }
  }
}
