package io.kubelvs.operator.plan;

import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import io.kubelvs.api.v1alpha1.IpFamily;
import io.kubelvs.api.v1alpha1.ServicePort;
import io.kubelvs.api.v1alpha1.VipAllocation;
import io.kubelvs.api.v1alpha1.VirtualService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    return plan(input, new Memo());
  }

  /**
   * What the last plan computed per pool, with the inputs it computed it from. A pool whose inputs
   * are equal to last time's (its settings, nodes, previous allocations, VirtualServices still
   * standing with their VIPs, and the EndpointSlices) gets the same result without packing and
   * building its Directors again: a change to one VirtualService plans one pool, not all. Only for
   * one caller at a time (the reconcile loop keeps one).
   */
  public static final class Memo {
    private record PoolInputs(
        PoolSettings pool,
        List<PoolMember> members,
        List<VipAllocation> previous,
        List<ServiceRequest> requests,
        List<IpAddress> vips,
        List<EndpointSliceFacts> slices) {}

    private record Entry(PoolInputs inputs, PoolPlanner.Result result) {}

    private final Map<String, Entry> last = new HashMap<>();

    /** Each VirtualService object's validation, while the pools read as then. */
    private PoolReading validatedWith;

    private Map<VirtualService, Validated> validated = new IdentityHashMap<>();

    private record Validated(Seniority seniority, ServiceValidation.Result result) {}

    /** Each pool's memory, by the allocation list it was read from. */
    private final Map<String, Map.Entry<List<VipAllocation>, PoolMemory>> memories =
        new HashMap<>();

    /**
     * The pool's previous allocations read; the same reading (the same object) for an equal list.
     */
    PoolMemory memory(String pool, List<VipAllocation> previous) {
      Map.Entry<List<VipAllocation>, PoolMemory> kept = memories.get(pool);
      if (kept != null && kept.getKey() == previous) {
        return kept.getValue();
      }
      if (kept != null && kept.getKey().equals(previous)) {
        memories.put(pool, Map.entry(previous, kept.getValue()));
        return kept.getValue();
      }
      PoolMemory memory = new PoolMemory(previous);
      memories.put(pool, Map.entry(previous, memory));
      return memory;
    }

    /**
     * The services' seniority and validation, reusing last time's for a VirtualService object the
     * caches still hold (an informer replaces an object that changed) while the pools read alike.
     */
    Map<VirtualService, Validated> validate(
        List<VirtualService> services, PoolReading pools, ServiceValidation validation) {
      Map<VirtualService, Validated> before = pools.equals(validatedWith) ? validated : Map.of();
      Map<VirtualService, Validated> now = new IdentityHashMap<>();
      for (VirtualService vs : services) {
        Validated v = before.get(vs);
        now.put(
            vs,
            v != null ? v : new Validated(Seniority.of(vs.getMetadata()), validation.check(vs)));
      }
      validatedWith = pools;
      validated = now;
      return now;
    }

    /** The services oldest first, as last ordered, with their seniority. */
    private List<Map.Entry<Seniority, VirtualService>> ordered = List.of();

    /**
     * The services oldest first: last time's order with today's objects where the same services are
     * there with the same seniority (a change to a spec keeps its place), else sorted.
     */
    List<VirtualService> oldestFirst(
        List<VirtualService> services, Map<VirtualService, Validated> validated) {
      List<Map.Entry<Seniority, VirtualService>> order = reordered(services, validated);
      if (order == null) {
        order =
            services.stream()
                .map(vs -> Map.entry(validated.get(vs).seniority(), vs))
                .sorted(Map.Entry.comparingByKey())
                .toList();
      }
      ordered = order;
      return order.stream().map(Map.Entry::getValue).toList();
    }

    /** Last time's order with today's objects, or null where that is not the order any more. */
    private List<Map.Entry<Seniority, VirtualService>> reordered(
        List<VirtualService> services, Map<VirtualService, Validated> validated) {
      if (services.size() != ordered.size()) {
        return null;
      }
      Map<VirtualServiceKey, VirtualService> byKey = new HashMap<>();
      services.forEach(vs -> byKey.put(VirtualServiceKey.of(vs), vs));
      if (byKey.size() != services.size()) {
        return null; // the same service twice: sorting decides which copy counts
      }
      List<Map.Entry<Seniority, VirtualService>> order = new ArrayList<>(services.size());
      for (Map.Entry<Seniority, VirtualService> then : ordered) {
        VirtualService now = byKey.get(VirtualServiceKey.of(then.getValue()));
        if (now == null) {
          return null;
        }
        Seniority seniority = validated.get(now).seniority();
        if (!seniority.equals(then.getKey())) {
          return null;
        }
        order.add(Map.entry(seniority, now));
      }
      return order;
    }

    /** The pool planned, or last time's result where its inputs are equal to last time's. */
    PoolPlanner.Result plan(
        PoolSettings pool,
        List<PoolMember> members,
        List<VipAllocation> previous,
        PoolMemory memory,
        List<ServiceRequest> requests,
        Map<VirtualServiceKey, IpAddress> vips,
        List<EndpointSliceFacts> slices,
        Backends backends) {
      List<IpAddress> vipsOfRequests = new ArrayList<>(requests.size());
      requests.forEach(r -> vipsOfRequests.add(vips.get(r.key())));
      PoolInputs inputs = new PoolInputs(pool, members, previous, requests, vipsOfRequests, slices);
      Entry entry = last.get(pool.name());
      if (entry != null && entry.inputs().equals(inputs)) {
        return entry.result();
      }
      PoolPlanner.Result result =
          PoolPlanner.plan(
              pool, members, memory, requests, vips, (r, vip) -> servers(r, vip, slices, backends));
      last.put(pool.name(), new Entry(inputs, result));
      return result;
    }

    private record Built(IpAddress vip, VirtualServers.Built servers) {}

    /** Each request's virtual servers, at a VIP, while the EndpointSlices are as then. */
    private Map<ServiceRequest, Built> built = new IdentityHashMap<>();

    private List<EndpointSliceFacts> builtWith = List.of();

    /**
     * A request's virtual servers, as built last time for the same request object at the same VIP
     * while the EndpointSlices are equal: a pool with one service changed builds one service's.
     */
    private VirtualServers.Built servers(
        ServiceRequest request, IpAddress vip, List<EndpointSliceFacts> slices, Backends backends) {
      if (!slices.equals(builtWith)) {
        built = new IdentityHashMap<>();
        builtWith = slices;
      }
      Built kept = built.get(request);
      if (kept != null && Objects.equals(kept.vip(), vip)) {
        return kept.servers();
      }
      VirtualServers.Built servers = VirtualServers.of(request, vip, backends);
      built.put(request, new Built(vip, servers));
      return servers;
    }

    /**
     * What VIP assignment and conflicts read of a valid request; they are decided again only when
     * the list of these, oldest first, differs from last time's (or the pools or their memory do).
     */
    private record Claimant(
        VirtualServiceKey key,
        String pool,
        IpFamily family,
        IpAddress explicitVip,
        Long fwmark,
        List<ServicePort> ports) {
      static Claimant of(ServiceRequest r) {
        return new Claimant(
            r.key(), r.pool().name(), r.family(), r.explicitVip(), r.spec().fwmark(), r.ports());
      }
    }

    /**
     * What placement was decided from. The requests are compared by what they claim, and only where
     * they are not the very objects of last time (validation keeps a request while its
     * VirtualService object is the same).
     */
    private record PlacementInputs(
        PoolReading pools,
        Map<String, PoolMemory> memory,
        Set<IpAddress> reserved,
        List<ServiceRequest> requests) {

      boolean same(PlacementInputs other) {
        if (other == null
            || !memory.keySet().equals(other.memory.keySet())
            || requests.size() != other.requests.size()) {
          return false;
        }
        for (Map.Entry<String, PoolMemory> e : memory.entrySet()) {
          if (other.memory.get(e.getKey()) != e.getValue()) {
            return false;
          }
        }
        if (!pools.equals(other.pools) || !reserved.equals(other.reserved)) {
          return false;
        }
        for (int i = 0; i < requests.size(); i++) {
          ServiceRequest now = requests.get(i);
          ServiceRequest then = other.requests.get(i);
          if (now != then && !Claimant.of(now).equals(Claimant.of(then))) {
            return false;
          }
        }
        return true;
      }
    }

    private PlacementInputs placedFrom;
    private Placement placed;

    /**
     * Each request's VIP and who loses a contested one, or last time's where nothing they read
     * changed.
     */
    Placement place(
        List<ServiceRequest> requests,
        PoolReading pools,
        Map<String, PoolMemory> memory,
        Set<IpAddress> reserved) {
      PlacementInputs inputs =
          new PlacementInputs(pools, Map.copyOf(memory), reserved, List.copyOf(requests));
      if (!inputs.same(placedFrom)) {
        placed = Placement.of(requests, memory, reserved);
      }
      placedFrom = inputs;
      return placed;
    }

    /** Forgets pools that are gone, and virtual servers of requests that are gone. */
    void retain(Set<String> pools, List<ServiceRequest> requests) {
      if (built.size() > 2 * requests.size()) {
        Map<ServiceRequest, Built> live = new IdentityHashMap<>();
        requests.forEach(
            r -> {
              Built b = built.get(r);
              if (b != null) {
                live.put(r, b);
              }
            });
        built = live;
      }
      last.keySet().retainAll(pools);
      memories.keySet().retainAll(pools);
    }
  }

  /** {@link #plan(PlanInput)}, reusing what {@code memo} kept of pools whose inputs are as then. */
  public static Plan plan(PlanInput input, Memo memo) {
    PoolReading pools = PoolReading.of(input.pools());
    Membership membership = new Membership(List.copyOf(pools.valid().values()), input.nodes());
    Map<String, PoolMemory> memory = new HashMap<>();
    pools.valid().keySet().forEach(p -> memory.put(p, memo.memory(p, input.previous().of(p))));

    SortedMap<VirtualServiceKey, VirtualServiceOutcome> outcomes = new TreeMap<>();
    List<ServiceRequest> requests = validate(input.virtualServices(), pools, memo, outcomes);
    Placement placement = memo.place(requests, pools, memory, nodeAddresses(input.nodes()));
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

  /**
   * Every request's VIP ({@link VipAssignment}), the requests that got none, and of the others
   * those that lost a contested VIP:port ({@link Conflicts}).
   */
  private record Placement(
      Map<VirtualServiceKey, IpAddress> vips,
      Map<VirtualServiceKey, Problem> vipProblems,
      Map<VirtualServiceKey, Problem> conflicts) {

    static Placement of(
        List<ServiceRequest> requests, Map<String, PoolMemory> memory, Set<IpAddress> reserved) {
      VipAssignment assignment = new VipAssignment(requests, memory, reserved);
      List<ServiceRequest> placed =
          requests.stream().filter(r -> !assignment.problems().containsKey(r.key())).toList();
      return new Placement(
          assignment.vips(),
          assignment.problems(),
          new Conflicts(placed, assignment.vips()).problems());
    }
  }

  /** The pools of the input: those that can be planned, and why the others cannot. */
  private record PoolReading(Map<String, PoolSettings> valid, Map<String, String> invalid) {
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
      Memo memo,
      Map<VirtualServiceKey, VirtualServiceOutcome> outcomes) {
    Map<VirtualService, Memo.Validated> validated =
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
