package io.kubelvs.operator.reconcile;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kubelvs.api.v1alpha1.AgentLeases;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
import io.kubelvs.api.v1alpha1.VirtualService;
import io.kubelvs.operator.plan.Allocations;
import io.kubelvs.operator.plan.EndpointSliceFacts;
import io.kubelvs.operator.plan.NodeFacts;
import io.kubelvs.operator.plan.PlanInput;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    List<Director> directors,
    List<VirtualServerSet> virtualServerSets,
    List<Lease> agentLeases) {

  public ClusterSnapshot {
    pools = List.copyOf(pools);
    virtualServices = List.copyOf(virtualServices);
    nodes = List.copyOf(nodes);
    endpointSlices = List.copyOf(endpointSlices);
    directors = List.copyOf(directors);
    virtualServerSets = List.copyOf(virtualServerSets);
    agentLeases = List.copyOf(agentLeases);
  }

  /**
   * The nodes whose agent went silent at {@code now}, with when: its Lease's renewTime plus its
   * duration is past. A node without a Lease is not silent; nothing tells (an agent that predates
   * the heartbeat, or one that never reached the API server).
   */
  public Map<String, Instant> silentAgents(Instant now) {
    Map<String, Instant> silent = new HashMap<>();
    for (Lease lease : agentLeases) {
      Optional<Instant> expiry = expiry(lease);
      String node = lease.getMetadata().getLabels().get(AgentLeases.NODE_LABEL);
      if (node != null && expiry.isPresent() && !expiry.get().isAfter(now)) {
        silent.put(node, lease.getSpec().getRenewTime().toInstant());
      }
    }
    return silent;
  }

  /** When the first Lease still running out runs out: the time to look again. */
  public Optional<Instant> nextAgentExpiry(Instant now) {
    return agentLeases.stream()
        .map(ClusterSnapshot::expiry)
        .flatMap(Optional::stream)
        .filter(e -> e.isAfter(now))
        .min(Instant::compareTo);
  }

  private static Optional<Instant> expiry(Lease lease) {
    if (lease.getSpec() == null
        || lease.getSpec().getRenewTime() == null
        || lease.getSpec().getLeaseDurationSeconds() == null) {
      return Optional.empty();
    }
    return Optional.of(
        lease
            .getSpec()
            .getRenewTime()
            .toInstant()
            .plusSeconds(lease.getSpec().getLeaseDurationSeconds()));
  }

  /**
   * The planner's input. Its memory comes from the pools' status, and for a pool whose status was
   * lost (restored from a backup without status) from the Directors the last plan wrote.
   */
  public PlanInput planInput() {
    return planInput(Allocations.none());
  }

  /**
   * The planner's input, remembering {@code recent} (the allocations of this process's last plan,
   * which its pools' status may not carry yet) before what the pools' status holds.
   */
  public PlanInput planInput(Allocations recent) {
    return new PlanInput(
        pools,
        virtualServices,
        nodes.stream().map(NodeFacts::of).toList(),
        endpointSlices.stream().map(EndpointSliceFacts::of).toList(),
        recent.orElse(remembered(recent)));
  }

  /** Read back from the Directors only for pools whose status holds none: that walk is costly. */
  private Allocations remembered(Allocations recent) {
    Allocations fromStatus = Allocations.fromPoolStatuses(pools);
    Set<String> forgotten =
        pools.stream()
            .map(p -> p.getMetadata().getName())
            .filter(p -> fromStatus.of(p).isEmpty() && recent.of(p).isEmpty())
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
