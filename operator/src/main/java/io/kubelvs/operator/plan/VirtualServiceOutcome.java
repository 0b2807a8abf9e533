package io.kubelvs.operator.plan;

import java.util.List;

/** What the planner made of one VirtualService: placed on a pool's directors, or rejected. */
public sealed interface VirtualServiceOutcome {

  VirtualServiceKey key();

  /**
   * The VirtualService is in its pool's Director specs.
   *
   * @param pool the DirectorPool
   * @param vip the VIP (spec.vip or allocated); null for a firewall-mark service, which has none
   * @param instance the VRRP instance carrying the VIP; null for a firewall-mark service
   * @param vrid that instance's virtual router id; null for a firewall-mark service
   * @param preferredMaster the node with the instance's highest priority; null while the pool has
   *     no nodes
   * @param plannedMaster the node that should be master now: the first Ready node in the instance's
   *     priority order (the preferred master unless it is not Ready); null when no node is Ready.
   *     What the agents report is the truth; this is the plan.
   * @param notes things the user should know that do not stop the service, e.g. a Service without
   *     EndpointSlices
   */
  record Planned(
      VirtualServiceKey key,
      String pool,
      String vip,
      String instance,
      Integer vrid,
      String preferredMaster,
      String plannedMaster,
      List<String> notes)
      implements VirtualServiceOutcome {
    public Planned {
      notes = List.copyOf(notes);
    }
  }

  /** The VirtualService is in no Director; {@code problem} says why. */
  record Rejected(VirtualServiceKey key, Problem problem) implements VirtualServiceOutcome {}
}
