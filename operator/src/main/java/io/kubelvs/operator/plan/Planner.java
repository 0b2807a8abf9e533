package io.kubelvs.operator.plan;

import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import io.kubelvs.api.v1alpha1.VirtualService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    Map<String, PoolSettings> pools = new TreeMap<>();
    Map<String, String> invalidPools = new TreeMap<>();
    Map<String, List<Problem>> poolProblems = new TreeMap<>();
    for (DirectorPool pool : input.pools()) {
      String name = pool.getMetadata().getName();
      poolProblems.put(name, new ArrayList<>());
      try {
        pools.put(name, PoolSettings.of(pool));
      } catch (IllegalArgumentException e) {
        invalidPools.put(name, e.getMessage());
        poolProblems.get(name).add(Problem.invalid("SpecInvalid", e.getMessage()));
      }
    }
    Membership membership = new Membership(List.copyOf(pools.values()), input.nodes());
    Map<String, PoolMemory> memory = new HashMap<>();
    pools.keySet().forEach(p -> memory.put(p, new PoolMemory(input.previous().of(p))));

    Map<VirtualServiceKey, VirtualServiceOutcome> outcomes = new TreeMap<>();
    List<ServiceRequest> requests =
        validate(input.virtualServices(), pools, invalidPools, outcomes);
    VipAssignment assignment = new VipAssignment(requests, memory, nodeAddresses(input.nodes()));
    requests = reject(requests, assignment.problems(), outcomes);
    Conflicts conflicts = new Conflicts(requests, assignment.vips());
    requests = reject(requests, conflicts.problems(), outcomes);

    Backends backends = new Backends(input.endpointSlices());
    Map<String, DirectorSpec> directors = new TreeMap<>();
    Map<String, PoolOutcome> poolOutcomes = new TreeMap<>();
    for (PoolSettings pool : pools.values()) {
      List<ServiceRequest> ofPool =
          requests.stream().filter(r -> r.pool().name().equals(pool.name())).toList();
      PoolPlanner.Result result =
          PoolPlanner.plan(
              pool,
              membership.members(pool.name()),
              memory.get(pool.name()),
              ofPool,
              assignment.vips(),
              backends);
      directors.putAll(result.directors());
      outcomes.putAll(result.outcomes());
      List<Problem> problems = poolProblems.get(pool.name());
      problems.addAll(membership.problems(pool.name()));
      problems.addAll(result.problems());
      poolOutcomes.put(
          pool.name(),
          new PoolOutcome(pool.name(), result.nodes(), result.allocations(), List.of()));
    }
    for (String invalid : invalidPools.keySet()) {
      poolOutcomes.put(invalid, new PoolOutcome(invalid, List.of(), List.of(), List.of()));
    }
    addExhaustion(input.virtualServices(), outcomes, poolProblems);
    Map<String, PoolOutcome> withProblems = new TreeMap<>();
    poolOutcomes.forEach(
        (name, o) ->
            withProblems.put(
                name, new PoolOutcome(name, o.nodes(), o.allocations(), poolProblems.get(name))));
    return new Plan(new TreeMap<>(directors), new TreeMap<>(outcomes), new TreeMap<>(withProblems));
  }

  /** Valid requests, oldest first; the others' outcomes go to {@code outcomes}. */
  private static List<ServiceRequest> validate(
      List<VirtualService> services,
      Map<String, PoolSettings> pools,
      Map<String, String> invalidPools,
      Map<VirtualServiceKey, VirtualServiceOutcome> outcomes) {
    ServiceValidation validation = new ServiceValidation(pools, invalidPools);
    List<VirtualService> oldestFirst =
        services.stream()
            .sorted(Comparator.comparing(vs -> Seniority.of(vs.getMetadata())))
            .toList();
    List<ServiceRequest> requests = new ArrayList<>();
    Set<VirtualServiceKey> seen = new HashSet<>();
    for (VirtualService vs : oldestFirst) {
      VirtualServiceKey key = VirtualServiceKey.of(vs);
      if (!seen.add(key)) {
        continue; // the same object twice in the input: the first (oldest) copy counts
      }
      ServiceValidation.Result result = validation.check(vs);
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
  private static void addExhaustion(
      List<VirtualService> services,
      Map<VirtualServiceKey, VirtualServiceOutcome> outcomes,
      Map<String, List<Problem>> poolProblems) {
    Map<VirtualServiceKey, String> poolOf = new HashMap<>();
    services.forEach(
        vs ->
            poolOf.put(
                VirtualServiceKey.of(vs), vs.getSpec() == null ? null : vs.getSpec().poolName()));
    Map<String, Map<String, List<VirtualServiceKey>>> waiting = new TreeMap<>();
    Map<String, String> firstMessage = new HashMap<>();
    outcomes.values().stream()
        .filter(
            o ->
                o instanceof VirtualServiceOutcome.Rejected r
                    && r.problem().kind() == Problem.Kind.EXHAUSTED)
        .map(o -> (VirtualServiceOutcome.Rejected) o)
        .forEach(
            r -> {
              String pool = poolOf.get(r.key());
              waiting
                  .computeIfAbsent(pool, p -> new LinkedHashMap<>())
                  .computeIfAbsent(r.problem().reason(), p -> new ArrayList<>())
                  .add(r.key());
              firstMessage.putIfAbsent(pool + "/" + r.problem().reason(), r.problem().message());
            });
    waiting.forEach(
        (pool, byReason) ->
            byReason.forEach(
                (reason, keys) ->
                    poolProblems
                        .computeIfAbsent(pool, p -> new ArrayList<>())
                        .add(
                            Problem.exhausted(
                                reason,
                                firstMessage.get(pool + "/" + reason)
                                    + "; "
                                    + keys.size()
                                    + " VirtualService(s) wait: "
                                    + keys.stream()
                                        .limit(10)
                                        .map(VirtualServiceKey::toString)
                                        .collect(Collectors.joining(", "))
                                    + (keys.size() > 10 ? ", ..." : "")))));
  }
}
