package io.kubelvs.operator.plan;

import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import io.kubelvs.api.v1alpha1.VipAllocation;
import io.kubelvs.api.v1alpha1.VirtualServer;
import io.kubelvs.api.v1alpha1.VrrpInstance;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The planner's memory: each pool's VIPs with their instance, virtual router id, preferred master
 * and VirtualServices, exactly as the previous plan put them into {@code DirectorPool.status
 * .allocations}.
 *
 * <p>Stability needs it. A pure function of the current objects alone cannot keep a VIP where it
 * was once the objects that decided its place are gone (the VirtualService that was allocated first
 * was deleted; a node joined). So the planner takes the previous plan's allocations as an input and
 * keeps every one that is still valid; only what is new, or no longer valid, is placed afresh. The
 * operator reads them back from the pools' status ({@link #fromPoolStatuses}); if a pool's status
 * was lost (restored from a backup without status), from the Directors the previous plan wrote
 * ({@link #fromDirectors}), which carry the same facts.
 */
public record Allocations(Map<String, List<VipAllocation>> byPool) {

  public Allocations {
    Map<String, List<VipAllocation>> copy = new TreeMap<>();
    byPool.forEach((pool, list) -> copy.put(pool, List.copyOf(list)));
    byPool = java.util.Collections.unmodifiableMap(copy);
  }

  /** No memory: the first plan, or a test that starts from scratch. */
  public static Allocations none() {
    return new Allocations(Map.of());
  }

  public List<VipAllocation> of(String pool) {
    return byPool.getOrDefault(pool, List.of());
  }

  /** The allocations in each pool's status (pools without status remember nothing). */
  public static Allocations fromPoolStatuses(Collection<DirectorPool> pools) {
    Map<String, List<VipAllocation>> byPool = new HashMap<>();
    for (DirectorPool pool : pools) {
      if (pool.getStatus() != null && pool.getStatus().allocations() != null) {
        byPool.put(pool.getMetadata().getName(), pool.getStatus().allocations());
      }
    }
    return new Allocations(byPool);
  }

  /**
   * The allocations the Directors' specs imply: each instance's VIPs and its preferred master (the
   * node that has the instance's highest priority, the first by name on a tie), each VIP's
   * VirtualServices from the owners of the virtual servers on it.
   */
  public static Allocations fromDirectors(Collection<Director> directors) {
    Map<String, Map<Integer, InstanceSeen>> instances = new TreeMap<>();
    Map<String, Map<String, TreeSet<String>>> owners = new TreeMap<>();
    for (Director director : directors) {
      DirectorSpec spec = director.getSpec();
      if (spec == null || spec.poolName() == null) {
        continue;
      }
      Map<Integer, InstanceSeen> pool =
          instances.computeIfAbsent(spec.poolName(), p -> new TreeMap<>());
      for (VrrpInstance instance : nullToEmpty(spec.vrrpInstances())) {
        pool.merge(
            instance.vrid(),
            new InstanceSeen(
                instance.name(), spec.nodeName(), instance.priority(), instance.vips()),
            InstanceSeen::higher);
      }
      Map<String, TreeSet<String>> vipOwners =
          owners.computeIfAbsent(spec.poolName(), p -> new TreeMap<>());
      for (VirtualServer server : spec.allVirtualServers()) {
        if (server.vip() != null && server.owner() != null) {
          vipOwners
              .computeIfAbsent(IpAddress.parse(server.vip()).toString(), v -> new TreeSet<>())
              .add(server.owner().namespace() + "/" + server.owner().name());
        }
      }
    }
    Map<String, List<VipAllocation>> byPool = new TreeMap<>();
    instances.forEach(
        (pool, byVrid) -> {
          Map<IpAddress, VipAllocation> list = new TreeMap<>();
          byVrid.forEach(
              (vrid, seen) -> {
                for (String vip : seen.vips()) {
                  String address = IpAddress.parse(withoutPrefix(vip)).toString();
                  TreeSet<String> users =
                      owners.getOrDefault(pool, Map.of()).getOrDefault(address, new TreeSet<>());
                  list.put(
                      IpAddress.parse(address),
                      new VipAllocation(
                          address, seen.name(), vrid, seen.node(), List.copyOf(users)));
                }
              });
          byPool.put(pool, List.copyOf(list.values()));
        });
    return new Allocations(byPool);
  }

  /** These allocations, plus {@code other}'s for every pool these know nothing of. */
  public Allocations orElse(Allocations other) {
    Map<String, List<VipAllocation>> merged = new HashMap<>(other.byPool);
    byPool.forEach(
        (pool, list) -> {
          if (!list.isEmpty()) {
            merged.put(pool, list);
          }
        });
    return new Allocations(merged);
  }

  private record InstanceSeen(String name, String node, int priority, List<String> vips) {
    InstanceSeen higher(InstanceSeen other) {
      if (other.priority != priority) {
        return other.priority > priority ? other : this;
      }
      return other.node.compareTo(node) < 0 ? other : this;
    }
  }

  private static String withoutPrefix(String vip) {
    int slash = vip.indexOf('/');
    return slash < 0 ? vip : vip.substring(0, slash);
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
