package io.kubelvs.operator.reconcile;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import io.kubelvs.api.v1alpha1.VirtualServer;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
import io.kubelvs.api.v1alpha1.VirtualServerSetRef;
import io.kubelvs.api.v1alpha1.VirtualServerSetSpec;
import io.kubelvs.api.v1alpha1.VrrpInstance;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How the planned Directors are written: each VRRP instance's virtual servers once per pool, in a
 * {@link VirtualServerSet} named {@code POOL.VRID}, and each node's Director with the instance's
 * own settings and a reference to that set.
 *
 * <p><b>Why.</b> Every node of a pool runs every instance (a backup must serve the moment it
 * becomes master), so a Director held the whole pool's virtual servers: at 5,000 VirtualServices in
 * 3 pools, 450 KB per node, all of it rewritten on every node for a change to one service. Now such
 * a change rewrites its instance's set (tens of servers) and no Director. Like EndpointSlices, the
 * sets bound what a change costs by the change, not by the pool or its number of nodes.
 *
 * <p>A Director names each set with the least generation its node may run ({@link #referencing});
 * the agent runs each newer generation as it comes and reports in the Director's status which
 * generation of each set runs. Sets are written before the Directors that name them, and deleted
 * after.
 */
final class VirtualServerSets {

  /** A set's name, from its pool's name and its instance's virtual router id. */
  static String name(String pool, int vrid) {
    String suffix = "." + vrid;
    // Object names are at most 253 characters; pools are named as objects too.
    int room = 253 - suffix.length();
    return (pool.length() > room ? pool.substring(0, room) : pool) + suffix;
  }

  private VirtualServerSets() {}

  /**
   * The sets the plan needs: one per instance of a pool that has virtual servers, as the first node
   * of the pool (by name) carries them; every node of a pool carries the same.
   */
  static SortedMap<String, VirtualServerSet> desired(
      SortedMap<String, DirectorSpec> planned, Collection<DirectorPool> pools) {
    return desired(planned, pools, PassMemo.none());
  }

  /** {@link #desired}, reusing last pass's set for the same pool and planned instance objects. */
  static SortedMap<String, VirtualServerSet> desired(
      SortedMap<String, DirectorSpec> planned, Collection<DirectorPool> pools, PassMemo memo) {
    Map<String, DirectorPool> poolByName = new HashMap<>();
    pools.forEach(p -> poolByName.put(p.getMetadata().getName(), p));
    SortedMap<String, VirtualServerSet> sets = new TreeMap<>();
    for (DirectorSpec spec : planned.values()) {
      DirectorPool pool = poolByName.get(spec.poolName());
      for (VrrpInstance instance : nullToEmpty(spec.vrrpInstances())) {
        if (pool == null || nullToEmpty(instance.virtualServers()).isEmpty()) {
          continue;
        }
        String name = name(spec.poolName(), instance.vrid());
        if (!sets.containsKey(name)) {
          sets.put(
              name, memo.get("set/" + name, null, () -> set(name, pool, instance), pool, instance));
        }
      }
    }
    return sets;
  }

  private static VirtualServerSet set(String name, DirectorPool pool, VrrpInstance instance) {
    VirtualServerSet set = new VirtualServerSet();
    set.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .addToLabels(DirectorChanges.POOL_LABEL, pool.getMetadata().getName())
            .withOwnerReferences(DirectorChanges.ownerReference(pool))
            .build());
    set.setSpec(
        new VirtualServerSetSpec(
            pool.getMetadata().getName(), instance.name(), instance.virtualServers()));
    return set;
  }

  /**
   * The planned Directors as they are written: each instance whose servers are in a set names it
   * instead of carrying them. An instance as the Director already has it (the same VRRP settings
   * and VIPs, the same set) keeps the generation it names: the agent runs each newer generation of
   * the set as it comes, so a change inside a set rewrites no Director. An instance that is new or
   * changed names the set's current generation, so the agent applies the instance's new VIPs and
   * their servers together.
   *
   * @param generations each set's generation as the API server holds it (after this pass's writes)
   * @param cached the Directors as they are, by name
   */
  static SortedMap<String, DirectorSpec> referencing(
      SortedMap<String, DirectorSpec> planned,
      Map<String, VirtualServerSet> sets,
      Map<String, Long> generations,
      Map<String, Director> cached) {
    return referencing(planned, sets, generations, cached, PassMemo.none());
  }

  /**
   * {@link #referencing}, reusing last pass's spec for a node whose planned spec and cached
   * Director are the same objects and whose sets are at the same generations.
   */
  static SortedMap<String, DirectorSpec> referencing(
      SortedMap<String, DirectorSpec> planned,
      Map<String, VirtualServerSet> sets,
      Map<String, Long> generations,
      Map<String, Director> cached,
      PassMemo memo) {
    SortedMap<String, DirectorSpec> out = new TreeMap<>();
    planned.forEach(
        (node, spec) -> {
          List<Long> named = new ArrayList<>();
          for (VrrpInstance instance : nullToEmpty(spec.vrrpInstances())) {
            String name = name(spec.poolName(), instance.vrid());
            named.add(sets.containsKey(name) ? generations.get(name) : null);
          }
          out.put(
              node,
              memo.get(
                  "referencing/" + node,
                  named,
                  () -> referencing(spec, sets, generations, cached.get(node)),
                  spec,
                  cached.get(node)));
        });
    return out;
  }

  private static DirectorSpec referencing(
      DirectorSpec spec,
      Map<String, VirtualServerSet> sets,
      Map<String, Long> generations,
      Director director) {
    Map<String, VrrpInstance> had = new HashMap<>();
    if (director != null && director.getSpec() != null) {
      nullToEmpty(director.getSpec().vrrpInstances()).forEach(i -> had.put(i.name(), i));
    }
    List<VrrpInstance> instances = new ArrayList<>();
    for (VrrpInstance instance : nullToEmpty(spec.vrrpInstances())) {
      String name = name(spec.poolName(), instance.vrid());
      Long generation = generations.get(name);
      if (sets.containsKey(name) && generation != null) {
        VrrpInstance before = had.get(instance.name());
        VirtualServerSetRef ref =
            unchanged(before, instance, name, generation)
                ? before.virtualServerSet()
                : new VirtualServerSetRef(name, generation);
        instances.add(instance.withServers(null, ref));
      } else {
        instances.add(instance);
      }
    }
    return new DirectorSpec(
        spec.nodeName(),
        spec.poolName(),
        spec.vrrpInstances() == null ? null : instances,
        spec.virtualServers(),
        spec.notification());
  }

  /**
   * Whether the Director's instance is the planned one but for the set's generation: no inline
   * servers, the same own fields, the same set at a generation the set has reached (a set deleted
   * and created again starts over at 1).
   */
  private static boolean unchanged(
      VrrpInstance before, VrrpInstance planned, String set, long generation) {
    return before != null
        && before.virtualServers() == null
        && before.virtualServerSet() != null
        && before.virtualServerSet().name().equals(set)
        && before.virtualServerSet().generation() <= generation
        && before.withoutServers().equals(planned.withoutServers());
  }

  /**
   * A Director's spec with the servers of the sets it names put back into its instances, as its
   * agent runs it: a set counts once it is at the generation the Director names or a later one; an
   * instance whose set is missing or older keeps its inline servers only.
   */
  static DirectorSpec resolved(DirectorSpec spec, Map<String, VirtualServerSet> sets) {
    if (spec == null || spec.vrrpInstances() == null) {
      return spec;
    }
    boolean any = false;
    List<VrrpInstance> instances = new ArrayList<>(spec.vrrpInstances().size());
    for (VrrpInstance instance : spec.vrrpInstances()) {
      VirtualServerSetRef ref = instance.virtualServerSet();
      if (ref == null) {
        instances.add(instance);
        continue;
      }
      any = true;
      VirtualServerSet set = sets.get(ref.name());
      List<VirtualServer> servers = new ArrayList<>(nullToEmpty(instance.virtualServers()));
      if (set != null
          && set.getSpec() != null
          && set.getMetadata().getGeneration() != null
          && set.getMetadata().getGeneration() >= ref.generation()) {
        servers.addAll(nullToEmpty(set.getSpec().virtualServers()));
      }
      instances.add(instance.withServers(servers, null));
    }
    if (!any) {
      return spec;
    }
    return new DirectorSpec(
        spec.nodeName(), spec.poolName(), instances, spec.virtualServers(), spec.notification());
  }

  /** The sets by name. */
  static Map<String, VirtualServerSet> byName(Collection<VirtualServerSet> sets) {
    Map<String, VirtualServerSet> map = new HashMap<>();
    sets.forEach(s -> map.put(s.getMetadata().getName(), s));
    return map;
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
