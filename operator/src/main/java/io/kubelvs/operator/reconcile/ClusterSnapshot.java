package io.kubelvs.operator.reconcile;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.VirtualService;
import io.kubelvs.operator.plan.Allocations;
import io.kubelvs.operator.plan.EndpointSliceFacts;
import io.kubelvs.operator.plan.NodeFacts;
import io.kubelvs.operator.plan.PlanInput;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The informers' caches at one moment: everything one reconcile pass reads. The objects are the
 * caches' own; nothing may change them (writes go through copies).
 */
public record ClusterSnapshot(
    List<DirectorPool> pools,
    List<VirtualService> virtualServices,
    List<Node> nodes,
    List<EndpointSlice> endpointSlices,
    List<Director> directors) {

  public ClusterSnapshot {
    pools = List.copyOf(pools);
    virtualServices = List.copyOf(virtualServices);
    nodes = List.copyOf(nodes);
    endpointSlices = List.copyOf(endpointSlices);
    directors = List.copyOf(directors);
  }

  /**
   * The planner's input. Its memory comes from the pools' status, and for a pool whose status was
   * lost (restored from a backup without status) from the Directors the last plan wrote.
   */
  public PlanInput planInput() {
    return new PlanInput(
        pools,
        virtualServices,
        nodes.stream().map(NodeFacts::of).toList(),
        endpointSlices.stream().map(EndpointSliceFacts::of).toList(),
        remembered());
  }

  /** Read back from the Directors only for pools whose status holds none: that walk is costly. */
  private Allocations remembered() {
    Allocations fromStatus = Allocations.fromPoolStatuses(pools);
    Set<String> forgotten =
        pools.stream()
            .map(p -> p.getMetadata().getName())
            .filter(p -> fromStatus.of(p).isEmpty())
            .collect(Collectors.toSet());
    if (forgotten.isEmpty()) {
      return fromStatus;
    }
    return fromStatus.orElse(
        Allocations.fromDirectors(
            directors.stream()
                .filter(d -> d.getSpec() != null && forgotten.contains(d.getSpec().poolName()))
                .toList()));
  }
}
