package io.kubelvs.operator.plan;

import io.kubelvs.api.v1alpha1.DirectorSpec;
import io.kubelvs.api.v1alpha1.VipAllocation;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The desired state: one DirectorSpec per director node, and what became of each VirtualService and
 * each pool, for their status. Maps are sorted by key, so two equal plans print alike.
 *
 * @param directors the spec of every director node's Director, by node name; a node that is in no
 *     pool has none (its Director should be deleted)
 * @param virtualServices every VirtualService of the input, placed or rejected
 * @param pools every DirectorPool of the input
 */
public record Plan(
    SortedMap<String, DirectorSpec> directors,
    SortedMap<VirtualServiceKey, VirtualServiceOutcome> virtualServices,
    SortedMap<String, PoolOutcome> pools) {

  public Plan {
    directors = Collections.unmodifiableSortedMap(new TreeMap<>(directors));
    virtualServices = Collections.unmodifiableSortedMap(new TreeMap<>(virtualServices));
    pools = Collections.unmodifiableSortedMap(new TreeMap<>(pools));
  }

  /** This plan's allocations, to pass as {@link PlanInput#previous()} of the next plan. */
  public Allocations allocations() {
    Map<String, List<VipAllocation>> byPool = new TreeMap<>();
    pools.forEach((name, pool) -> byPool.put(name, pool.allocations()));
    return new Allocations(byPool);
  }
}
