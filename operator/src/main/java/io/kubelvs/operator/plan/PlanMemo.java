package io.kubelvs.operator.plan;

import io.kubelvs.api.v1alpha1.IpFamily;
import io.kubelvs.api.v1alpha1.ServicePort;
import io.kubelvs.api.v1alpha1.VipAllocation;
import io.kubelvs.api.v1alpha1.VirtualService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the last plan computed, with what it computed it from, so that a change to one
 * VirtualService costs about its own pool, not the cluster (the informers replace an object that
 * changes, so the same object means the same input):
 *
 * <ul>
 *   <li>each VirtualService object's seniority and validation, while the pools read alike;
 *   <li>the services' age order, while the same services have the same seniority;
 *   <li>the VIPs and conflicts, while no request claims anything else;
 *   <li>each request's virtual servers, while the EndpointSlices are equal;
 *   <li>a pool's whole result, while its inputs (settings, nodes, previous allocations, the
 *       VirtualServices still standing with their VIPs, the EndpointSlices) are equal;
 *   <li>each pool's reading of its previous allocations.
 * </ul>
 *
 * <p>{@code PlannerPropertiesTest} plans every step of random histories this way and from scratch
 * and compares them. Only for one caller at a time (the reconcile loop keeps one).
 */
public final class PlanMemo {
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
  private Planner.PoolReading validatedWith;

  private Map<VirtualService, Validated> validated = new IdentityHashMap<>();

  record Validated(Seniority seniority, ServiceValidation.Result result) {}

  /** Each pool's memory, by the allocation list it was read from. */
  private final Map<String, Map.Entry<List<VipAllocation>, PoolMemory>> memories = new HashMap<>();

  /** The pool's previous allocations read; the same reading (the same object) for an equal list. */
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
      List<VirtualService> services, Planner.PoolReading pools, ServiceValidation validation) {
    Map<VirtualService, Validated> before = pools.equals(validatedWith) ? validated : Map.of();
    Map<VirtualService, Validated> now = new IdentityHashMap<>();
    for (VirtualService vs : services) {
      Validated v = before.get(vs);
      now.put(
          vs, v != null ? v : new Validated(Seniority.of(vs.getMetadata()), validation.check(vs)));
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
   * What VIP assignment and conflicts read of a valid request; they are decided again only when the
   * list of these, oldest first, differs from last time's (or the pools or their memory do).
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
   * they are not the very objects of last time (validation keeps a request while its VirtualService
   * object is the same).
   */
  private record PlacementInputs(
      Planner.PoolReading pools,
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
      Planner.PoolReading pools,
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

  /**
   * Every request's VIP ({@link VipAssignment}), the requests that got none, and of the others
   * those that lost a contested VIP:port ({@link Conflicts}).
   */
  record Placement(
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
}
