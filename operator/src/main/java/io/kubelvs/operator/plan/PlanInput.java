package io.kubelvs.operator.plan;

import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.VirtualService;
import java.util.List;

/**
 * Everything a plan depends on. The order of the lists does not matter: the planner sorts what it
 * reads. {@code previous} is the memory that makes plans stable across calls (see {@link
 * Allocations}); pass {@link Allocations#none()} only for the very first plan.
 *
 * <p>The custom resources are read, never changed; the planner uses their metadata (name,
 * namespace, creationTimestamp, generation) and spec.
 */
public record PlanInput(
    List<DirectorPool> pools,
    List<VirtualService> virtualServices,
    List<NodeFacts> nodes,
    List<EndpointSliceFacts> endpointSlices,
    Allocations previous) {

  public PlanInput {
    pools = List.copyOf(pools);
    virtualServices = List.copyOf(virtualServices);
    nodes = List.copyOf(nodes);
    endpointSlices = List.copyOf(endpointSlices);
    previous = previous == null ? Allocations.none() : previous;
  }
}
