package io.kubelvs.operator.plan;

import static io.kubelvs.operator.plan.Fixtures.at;
import static io.kubelvs.operator.plan.Fixtures.pool;
import static io.kubelvs.operator.plan.Fixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import io.kubelvs.api.v1alpha1.PoolNode;
import io.kubelvs.api.v1alpha1.Protocol;
import io.kubelvs.api.v1alpha1.VipAllocation;
import io.kubelvs.api.v1alpha1.VirtualServer;
import io.kubelvs.api.v1alpha1.VirtualService;
import io.kubelvs.api.v1alpha1.VrrpInstance;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random histories of VirtualServices and nodes, replanned after every step with the previous
 * plan's allocations, as the operator does. Each step checks determinism (the same input shuffled
 * gives an equal plan), stability (nobody else's VIP, VRID, instance or master moved), that no two
 * instances of a pool share a virtual router id, and that masters stay evenly spread.
 *
 * <p>Seeded: a failure names its seed and step, and rerunning that seed replays it.
 */
class PlannerPropertiesTest {

  private static final int SEEDS = 40;
  private static final int STEPS = 50;

  private static final List<DirectorPool> POOLS =
      List.of(
          pool("a").vrids(1, 6).maxVipsPerInstance(3).ranges("198.18.0.0/27").build(),
          pool("b")
              .created(at(1))
              .vrids(50, 60)
              .maxVipsPerInstance(2)
              .ranges("198.18.1.0/28", "198.18.2.0-198.18.2.3")
              .unicast()
              .build());

  /** One history: what exists now, and what the last plan said. */
  private static final class World {
    final Random random;
    final boolean addsOnly;
    final boolean pins;
    final Map<VirtualServiceKey, VirtualService> services = new LinkedHashMap<>();
    final Map<String, NodeFacts> nodes = new TreeMap<>();
    int clock = 10;
    int names;
    Plan plan;
    // Plans as the reconcile loop does, reusing unchanged pools; each is checked against a plan
    // from scratch of the same input shuffled.
    final PlanMemo memo = new PlanMemo();

    World(long seed, boolean addsOnly, boolean pins) {
      this.random = new Random(seed);
      this.addsOnly = addsOnly;
      this.pins = pins;
      for (int i = 1; i <= 3; i++) {
        nodes.put("a" + i, Fixtures.node("a" + i, "a", "198.18.100." + i));
        nodes.put("b" + i, Fixtures.node("b" + i, "b", "198.18.101." + i));
      }
    }

    PlanInput input() {
      return new PlanInput(
          POOLS,
          List.copyOf(services.values()),
          List.copyOf(nodes.values()),
          List.of(),
          plan == null ? Allocations.none() : plan.allocations());
    }

    VirtualService newService(String pool) {
      var builder =
          service("ns" + random.nextInt(3), "vs" + names++).pool(pool).created(at(clock++));
      if (random.nextInt(4) == 0) {
        builder.vip(
            pool.equals("a") ? "198.18.0." + random.nextInt(32) : "198.18.1." + random.nextInt(16));
      }
      addPorts(builder);
      if (pins && random.nextInt(3) == 0) {
        builder.preferredNode(pool + (1 + random.nextInt(4))); // sometimes a node not in the pool
      }
      return builder.build();
    }

    void addPorts(Fixtures.ServiceBuilder builder) {
      builder.port(random.nextBoolean() ? 80 : 443);
      if (random.nextInt(3) == 0) {
        builder.port(53, Protocol.UDP, null);
      }
    }

    /**
     * A new spec for an existing service that claims nothing new: other real servers, same VIP and
     * ports. (New ports could take a VIP:port from a younger service that shares the VIP, which the
     * creationTimestamp rule allows; that is a conflict, not instability.)
     */
    VirtualService changed(VirtualService old) {
      var builder =
          service(old.getMetadata().getNamespace(), old.getMetadata().getName())
              .pool(old.getSpec().poolName())
              .vip(old.getSpec().vip())
              .created(old.getMetadata().getCreationTimestamp())
              .realServer("198.18.3." + random.nextInt(200))
              .preferredNode(old.getSpec().preferredNode());
      old.getSpec().ports().forEach(p -> builder.port(p.port(), p.protocol(), p.targetPort()));
      return builder.build();
    }
  }

  /** What a step did, so stability knows whose placement may change. */
  private record Step(VirtualServiceKey touched, String nodeGone, boolean nodesChanged) {}

  @Test
  void addingServicesKeepsMastersWithinOneOfEachOther() {
    for (long seed = 0; seed < SEEDS; seed++) {
      World world = new World(seed, true, false);
      for (int step = 0; step < STEPS; step++) {
        Plan previous = world.plan;
        Step done = act(world);
        check(world, previous, done, "seed " + seed + " step " + step);
        for (String pool : List.of("a", "b")) {
          assertThat(spread(world.plan, pool, world.nodes))
              .as("seed %d step %d: instances per Ready node of pool %s", seed, step, pool)
              .isLessThanOrEqualTo(1);
        }
      }
    }
  }

  @ParameterizedTest(name = "with preferred nodes: {0}")
  @ValueSource(booleans = {false, true})
  void randomHistoriesAreDeterministicAndStable(boolean pins) {
    for (long seed = 1000; seed < 1000 + SEEDS; seed++) {
      World world = new World(seed, false, pins);
      for (int step = 0; step < STEPS; step++) {
        Plan previous = world.plan;
        Step done = act(world);
        check(world, previous, done, "seed " + seed + " step " + step);
        // A node that leaves hands its instances to where VRRP failed them over (rendezvous
        // order, even only on average), so exact evenness is checked for the other steps.
        if (!pins && done.nodeGone() == null) {
          for (String pool : List.of("a", "b")) {
            int kept = keptSpread(previous, world.plan, pool, world.nodes);
            assertThat(spread(world.plan, pool, world.nodes))
                .as(
                    "seed %d step %d: planning never makes pool %s's spread worse",
                    seed, step, pool)
                .isLessThanOrEqualTo(Math.max(1, kept));
          }
        }
      }
    }
  }

  /** Changes the world at random, replans, and says what changed. */
  private static Step act(World world) {
    Random random = world.random;
    int what = world.addsOnly ? 0 : random.nextInt(10);
    Step step;
    if (what <= 3 || world.services.isEmpty()) {
      VirtualService vs = world.newService(random.nextBoolean() ? "a" : "b");
      world.services.put(VirtualServiceKey.of(vs), vs);
      step = new Step(VirtualServiceKey.of(vs), null, false);
    } else if (what <= 5) {
      VirtualServiceKey gone = pick(random, world.services.keySet());
      world.services.remove(gone);
      step = new Step(gone, null, false);
    } else if (what <= 7) {
      VirtualServiceKey key = pick(random, world.services.keySet());
      world.services.put(key, world.changed(world.services.get(key)));
      step = new Step(key, null, false);
    } else if (what == 8) {
      String name = pick(random, world.nodes.keySet());
      NodeFacts node = world.nodes.get(name);
      world.nodes.put(name, new NodeFacts(name, node.labels(), node.internalIps(), !node.ready()));
      step = new Step(null, null, true);
    } else {
      // A node leaves its pool, or a fourth one joins.
      String pool = random.nextBoolean() ? "a" : "b";
      String name = pool + "4";
      if (world.nodes.remove(name) == null) {
        world.nodes.put(
            name, Fixtures.node(name, pool, "198.18.10" + (pool.equals("a") ? 0 : 1) + ".4"));
        step = new Step(null, null, true);
      } else {
        step = new Step(null, name, true);
      }
    }
    world.plan = Planner.plan(world.input(), world.memo);
    return step;
  }

  private static void check(World world, Plan previous, Step step, String where) {
    Plan plan = world.plan;
    assertThat(plan.virtualServices().keySet()).as(where).isEqualTo(world.services.keySet());
    assertThat(Planner.plan(shuffled(world.input(), world.random)))
        .as("%s: the same input in another order, planned from scratch", where)
        .isEqualTo(plan);
    checkInstances(plan, where);
    checkDirectorsCarryExactlyThePlanned(plan, where);
    if (previous != null) {
      checkStability(world, previous, plan, step, where);
    }
  }

  /** No two instances of one pool share a virtual router id; none is over its size or range. */
  private static void checkInstances(Plan plan, String where) {
    for (PoolOutcome pool : plan.pools().values()) {
      Map<Integer, String> nameOfVrid = new HashMap<>();
      Map<Integer, String> masterOfVrid = new HashMap<>();
      Map<Integer, Integer> size = new HashMap<>();
      Set<String> vips = new HashSet<>();
      for (VipAllocation a : pool.allocations()) {
        assertThat(vips.add(a.vip())).as("%s: VIP %s allocated once", where, a.vip()).isTrue();
        assertThat(nameOfVrid.computeIfAbsent(a.vrid(), v -> a.instance()))
            .as("%s: pool %s vrid %d is one instance", where, pool.name(), a.vrid())
            .isEqualTo(a.instance());
        assertThat(masterOfVrid.computeIfAbsent(a.vrid(), v -> String.valueOf(a.preferredMaster())))
            .isEqualTo(String.valueOf(a.preferredMaster()));
        size.merge(a.vrid(), 1, Integer::sum);
      }
      assertThat(new HashSet<>(nameOfVrid.values())).hasSameSizeAs(nameOfVrid.keySet());
      DirectorPool spec =
          POOLS.stream()
              .filter(p -> p.getMetadata().getName().equals(pool.name()))
              .findFirst()
              .orElseThrow();
      int max = spec.getSpec().vrrp().maxVipsPerInstance();
      assertThat(size.values()).as(where).allMatch(n -> n <= max);
      assertThat(size.keySet())
          .as(where)
          .allMatch(
              v ->
                  v >= spec.getSpec().vrrp().vridRange().first()
                      && v <= spec.getSpec().vrrp().vridRange().last());
    }
    for (DirectorSpec director : plan.directors().values()) {
      List<Integer> vrids = director.vrrpInstances().stream().map(VrrpInstance::vrid).toList();
      assertThat(new HashSet<>(vrids))
          .as("%s: %s runs each vrid once", where, director.nodeName())
          .hasSameSizeAs(vrids);
    }
  }

  /**
   * Planned services are on every node of their pool, rejected ones on none: nothing silently
   * dropped.
   */
  private static void checkDirectorsCarryExactlyThePlanned(Plan plan, String where) {
    for (DirectorSpec director : plan.directors().values()) {
      Set<VirtualServiceKey> owners =
          director.allVirtualServers().stream()
              .map(VirtualServer::owner)
              .map(o -> new VirtualServiceKey(o.namespace(), o.name()))
              .collect(Collectors.toSet());
      Set<VirtualServiceKey> expected =
          plan.virtualServices().values().stream()
              .filter(
                  o ->
                      o instanceof VirtualServiceOutcome.Planned p
                          && p.pool().equals(director.poolName()))
              .map(VirtualServiceOutcome::key)
              .collect(Collectors.toSet());
      assertThat(owners)
          .as("%s: virtual servers of %s", where, director.nodeName())
          .isEqualTo(expected);
      Map<String, Integer> priorityOfMaster = new HashMap<>();
      for (VrrpInstance instance : director.vrrpInstances()) {
        priorityOfMaster.put(instance.name(), instance.priority());
      }
      for (VirtualServiceOutcome o : plan.virtualServices().values()) {
        if (o instanceof VirtualServiceOutcome.Planned p
            && p.pool().equals(director.poolName())
            && director.nodeName().equals(p.preferredMaster())
            && p.instance() != null) {
          assertThat(priorityOfMaster.get(p.instance()))
              .as("%s: preferred master %s has the highest priority", where, p.preferredMaster())
              .isEqualTo(100);
        }
      }
    }
  }

  /** Nobody but the touched service (and instances of a node that left) moved. */
  private static void checkStability(
      World world, Plan previous, Plan plan, Step step, String where) {
    for (VirtualServiceOutcome before : previous.virtualServices().values()) {
      if (before.key().equals(step.touched())
          || !(before instanceof VirtualServiceOutcome.Planned was)) {
        continue;
      }
      VirtualServiceOutcome after = plan.virtualServices().get(before.key());
      if (after == null || pinPending(world, was)) {
        continue;
      }
      assertThat(after)
          .as("%s: %s is still planned", where, before.key())
          .isInstanceOf(VirtualServiceOutcome.Planned.class);
      VirtualServiceOutcome.Planned now = (VirtualServiceOutcome.Planned) after;
      assertThat(
              List.of(
                  String.valueOf(now.vip()),
                  String.valueOf(now.vrid()),
                  String.valueOf(now.instance())))
          .as("%s: VIP, VRID and instance of %s", where, before.key())
          .isEqualTo(
              List.of(
                  String.valueOf(was.vip()),
                  String.valueOf(was.vrid()),
                  String.valueOf(was.instance())));
      boolean preferredMayMove =
          was.preferredMaster() == null
              || !members(plan, was.pool()).contains(was.preferredMaster());
      if (!preferredMayMove) {
        assertThat(now.preferredMaster())
            .as("%s: preferred master of %s", where, before.key())
            .isEqualTo(was.preferredMaster());
      }
      if (!step.nodesChanged()) {
        assertThat(now.plannedMaster())
            .as("%s: planned master of %s", where, before.key())
            .isEqualTo(was.plannedMaster());
      }
    }
  }

  /**
   * A service whose preferredNode is not honoured yet (it shares a VIP with an older service that
   * does not pin, or its pool had no virtual router id to spare) moves to that node as soon as it
   * can: a move it asked for, which another service's change may make possible.
   */
  private static boolean pinPending(World world, VirtualServiceOutcome.Planned was) {
    String pin =
        world.services.get(was.key()) == null
            ? null
            : world.services.get(was.key()).getSpec().preferredNode();
    return pin != null && !pin.equals(was.preferredMaster());
  }

  private static Set<String> members(Plan plan, String pool) {
    return plan.pools().get(pool).nodes().stream().map(PoolNode::name).collect(Collectors.toSet());
  }

  /** Max minus min of instances per Ready node of the pool (instances of others not counted). */
  private static int spread(Plan plan, String pool, Map<String, NodeFacts> nodes) {
    return spreadOf(instanceMasters(plan, pool), pool, nodes);
  }

  /** The spread of the instances that kept their preferred master since the previous plan. */
  private static int keptSpread(
      Plan previous, Plan plan, String pool, Map<String, NodeFacts> nodes) {
    Map<Integer, String> now = instanceMasters(plan, pool);
    Map<Integer, String> before = previous == null ? Map.of() : instanceMasters(previous, pool);
    Map<Integer, String> kept = new HashMap<>();
    now.forEach(
        (vrid, master) -> {
          if (master != null && master.equals(before.get(vrid))) {
            kept.put(vrid, master);
          }
        });
    return spreadOf(kept, pool, nodes);
  }

  private static Map<Integer, String> instanceMasters(Plan plan, String pool) {
    Map<Integer, String> masters = new HashMap<>();
    plan.pools().get(pool).allocations().forEach(a -> masters.put(a.vrid(), a.preferredMaster()));
    return masters;
  }

  private static int spreadOf(
      Map<Integer, String> masters, String pool, Map<String, NodeFacts> nodes) {
    List<String> ready =
        nodes.values().stream()
            .filter(n -> n.ready() && pool.equals(n.labels().get(Fixtures.POOL_LABEL)))
            .map(NodeFacts::name)
            .toList();
    if (ready.isEmpty()) {
      return 0;
    }
    Map<String, Integer> load = new HashMap<>();
    ready.forEach(n -> load.put(n, 0));
    masters.values().stream()
        .filter(load::containsKey)
        .forEach(m -> load.merge(m, 1, Integer::sum));
    return Collections.max(load.values()) - Collections.min(load.values());
  }

  private static PlanInput shuffled(PlanInput input, Random random) {
    Map<String, List<VipAllocation>> memory = new HashMap<>();
    input.previous().byPool().forEach((pool, list) -> memory.put(pool, shuffle(list, random)));
    return new PlanInput(
        shuffle(input.pools(), random),
        shuffle(input.virtualServices(), random),
        shuffle(input.nodes(), random),
        shuffle(input.endpointSlices(), random),
        new Allocations(memory));
  }

  private static <T> List<T> shuffle(List<T> list, Random random) {
    List<T> copy = new ArrayList<>(list);
    Collections.shuffle(copy, random);
    return copy;
  }

  private static <T> T pick(Random random, Set<T> set) {
    List<T> list = new ArrayList<>(set);
    return list.get(random.nextInt(list.size()));
  }
}
