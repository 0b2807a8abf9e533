package io.kubelvs.operator.plan;

import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import io.kubelvs.api.v1alpha1.VirtualService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns DirectorPools, VirtualServices, Nodes and EndpointSlices into the Director spec of every
 * director node. A pure function: no client, no clock, no randomness; the same input, in any order,
 * gives an equal plan.
 *
 * <p>The steps, each its own class: read the pools ({@link PoolSettings}) and which nodes direct
 * for which ({@link Membership}); validate each VirtualService against its pool ({@link
 * ServiceValidation}); give each its VIP ({@link VipAssignment}); settle who keeps a contested
 * VIP:port ({@link Conflicts}); then per pool, pack VIPs into VRRP instances and write the
 * Directors ({@link PoolPlanner}). VirtualServices are always taken oldest first, so when two want
 * the same thing the older one gets it, and a new one never displaces an old one.
 *
 * <p>Stability across plans comes from {@link PlanInput#previous()}: see {@link Allocations}.
 */
public final class Planner {

  private Planner() {}

  public static Plan plan(PlanInput input) {
    return plan(input, new PlanMemo());
  }

  /** {@link #plan(PlanInput)}, reusing what {@code memo} kept of the same inputs last time. */
  public static Plan plan(PlanInput input, PlanMemo memo) {
    PoolReading pools = PoolReading.of(input.pools());
    Membership membership = new Membership(List.copyOf(pools.valid().values()), input.nodes());
    Map<String, PoolMemory> memory = new HashMap<>();
    pools.valid().keySet().forEach(p -> memory.put(p, memo.memory(p, input.previous().of(p))));

    SortedMap<VirtualServiceKey, VirtualServiceOutcome> outcomes = new TreeMap<>();
    List<ServiceRequest> requests = validate(input.virtualServices(), pools, memo, outcomes);
    PlanMemo.Placement placement =
        memo.place(requests, pools, memory, nodeAddresses(input.nodes()));
    requests = reject(requests, placement.vipProblems(), outcomes);
    requests = reject(requests, placement.conflicts(), outcomes);

    Backends backends = new Backends(input.endpointSlices());
    SortedMap<String, DirectorSpec> directors = new TreeMap<>();
    Map<String, PoolPlanner.Result> results = new TreeMap<>();
    Map<String, List<ServiceRequest>> byPool = new HashMap<>();
    requests.forEach(r -> byPool.computeIfAbsent(r.pool().name(), p -> new ArrayList<>()).add(r));
    memo.retain(pools.valid().keySet(), requests);
    for (PoolSettings pool : pools.valid().values()) {
      PoolPlanner.Result result =
          memo.plan(
              pool,
              membership.members(pool.name()),
              input.previous().of(pool.name()),
              memory.get(pool.name()),
              byPool.getOrDefault(pool.name(), List.of()),
              placement.vips(),
              input.endpointSlices(),
              backends);
      directors.putAll(result.directors());
      outcomes.putAll(result.outcomes());
      results.put(pool.name(), result);
    }
    return new Plan(directors, outcomes, poolOutcomes(input, pools, membership, results, outcomes));
  }

  /** The pools of the input: those that can be planned, and why the others cannot. */
  record PoolReading(Map<String, PoolSettings> valid, Map<String, String> invalid) {
    static PoolReading of(List<DirectorPool> pools) {
      Map<String, PoolSettings> valid = new TreeMap<>();
      Map<String, String> invalid = new TreeMap<>();
      for (DirectorPool pool : pools) {
        try {
          valid.put(pool.getMetadata().getName(), PoolSettings.of(pool));
        } catch (IllegalArgumentException e) {
          invalid.put(pool.getMetadata().getName(), e.getMessage());
        }
      }
      return new PoolReading(valid, invalid);
    }
  }

  private static SortedMap<String, PoolOutcome> poolOutcomes(
      PlanInput input,
      PoolReading pools,
      Membership membership,
      Map<String, PoolPlanner.Result> results,
      Map<VirtualServiceKey, VirtualServiceOutcome> outcomes) {
    Map<String, List<Problem>> problems = exhaustion(input.virtualServices(), outcomes);
    SortedMap<String, PoolOutcome> pooled = new TreeMap<>();
    pools
        .invalid()
        .forEach(
            (name, why) ->
                pooled.put(
                    name,
                    new PoolOutcome(
                        name, List.of(), List.of(), List.of(Problem.invalid("SpecInvalid", why)))));
    results.forEach(
        (name, result) -> {
          List<Problem> all = new ArrayList<>(membership.problems(name));
          all.addAll(result.problems());
          all.addAll(problems.getOrDefault(name, List.of()));
          pooled.put(name, new PoolOutcome(name, result.nodes(), result.allocations(), all));
        });
    return pooled;
  }

  /** Valid requests, oldest first; the others' outcomes go to {@code outcomes}. */
  private static List<ServiceRequest> validate(
      List<VirtualService> services,
      PoolReading pools,
      PlanMemo memo,
      Map<VirtualServiceKey, VirtualServiceOutcome> outcomes) {
    Map<VirtualService, PlanMemo.Validated> validated =
        memo.validate(services, pools, new ServiceValidation(pools.valid(), pools.invalid()));
    List<VirtualService> oldestFirst = memo.oldestFirst(services, validated);
    List<ServiceRequest> requests = new ArrayList<>();
    Set<VirtualServiceKey> seen = new HashSet<>();
    for (VirtualService vs : oldestFirst) {
      VirtualServiceKey key = VirtualServiceKey.of(vs);
      if (!seen.add(key)) {
        continue; // the same object twice in the input: the first (oldest) copy counts
      }
      ServiceValidation.Result result = validated.get(vs).result();
      if (result.problem() != null) {
        outcomes.put(key, new VirtualServiceOutcome.Rejected(key, result.problem()));
      } else {
        requests.add(result.request());
      }
    }
    return requests;
  }

  private static List<ServiceRequest> reject(
      List<ServiceRequest> requests,
      Map<VirtualServiceKey, Problem> problems,
      Map<VirtualServiceKey, VirtualServiceOutcome> outcomes) {
    problems.forEach(
        (key, problem) -> outcomes.put(key, new VirtualServiceOutcome.Rejected(key, problem)));
    return requests.stream().filter(r -> !problems.containsKey(r.key())).toList();
  }

  /** The nodes' own addresses: never handed out as a VIP. */
  private static Set<IpAddress> nodeAddresses(List<NodeFacts> nodes) {
    return nodes.stream()
        .map(PoolMember::of)
        .flatMap(m -> m.addresses().stream())
        .collect(Collectors.toSet());
  }

  /**
   * A pool that could not place VirtualServices for want of VIPs or virtual router ids says so in
   * its own status too, naming them, so the platform team sees it without reading every service.
   */
  private static Map<String, List<Problem>> exhaustion(
      List<VirtualService> services, Map<VirtualServiceKey, VirtualServiceOutcome> outcomes) {
    if (outcomes.values().stream()
        .noneMatch(
            o ->
                o instanceof VirtualServiceOutcome.Rejected r
                    && r.problem().kind() == Problem.Kind.EXHAUSTED)) {
      return Map.of();
    }
    Map<VirtualServiceKey, String> poolOf = new HashMap<>();
    for (VirtualService vs : services) {
      if (vs.getSpec() != null) {
        poolOf.put(VirtualServiceKey.of(vs), vs.getSpec().poolName());
      }
    }
    // pool -> reason -> the services waiting, oldest problem message first (outcomes are sorted)
    Map<String, Map<String, List<VirtualServiceOutcome.Rejected>>> waiting = new TreeMap<>();
    for (VirtualServiceOutcome outcome : outcomes.values()) {
      if (outcome instanceof VirtualServiceOutcome.Rejected r
          && r.problem().kind() == Problem.Kind.EXHAUSTED) {
        waiting
            .computeIfAbsent(poolOf.get(r.key()), p -> new TreeMap<>())
            .computeIfAbsent(r.problem().reason(), p -> new ArrayList<>())
            .add(r);
      }
    }
    Map<String, List<Problem>> problems = new TreeMap<>();
    waiting.forEach(
        (pool, byReason) ->
            byReason.forEach(
                (reason, rejected) ->
                    problems
                        .computeIfAbsent(pool, p -> new ArrayList<>())
                        .add(Problem.exhausted(reason, waitingMessage(rejected)))));
    return problems;
  }

  private static String waitingMessage(List<VirtualServiceOutcome.Rejected> rejected) {
    String names =
        rejected.stream().limit(10).map(r -> r.key().toString()).collect(Collectors.joining(", "));
    return rejected.get(0).problem().message()
        + "; "
        + rejected.size()
        + " VirtualService(s) wait: "
        + names
        + (rejected.size() > 10 ? ", ..." : "");
  }
}
