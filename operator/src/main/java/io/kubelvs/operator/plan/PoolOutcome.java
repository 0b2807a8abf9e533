package io.kubelvs.operator.plan;

import io.kubelvs.api.v1alpha1.PoolNode;
import io.kubelvs.api.v1alpha1.VipAllocation;
import java.util.List;

/**
 * What the planner made of one DirectorPool, for its status.
 *
 * @param nodes the pool's director nodes by name; {@code ready} is the Node's Ready condition (the
 *     status package adds whether the agent applied its Director)
 * @param allocations every VIP in use, by instance and address; also the planner's memory for the
 *     next plan (see {@link Allocations})
 * @param problems what is wrong with the pool itself (invalid spec, a node claimed by an older
 *     pool, VirtualServices it could not place)
 */
public record PoolOutcome(
    String name, List<PoolNode> nodes, List<VipAllocation> allocations, List<Problem> problems) {
  public PoolOutcome {
    nodes = List.copyOf(nodes);
    allocations = List.copyOf(allocations);
    problems = List.copyOf(problems);
  }
}
