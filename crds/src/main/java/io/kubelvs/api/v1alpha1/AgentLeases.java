package io.kubelvs.api.v1alpha1;

/**
 * The agents' heartbeat, shared by the agent that renews it and the operator that reads it: a
 * coordination.k8s.io/v1 Lease per director node, in the agents' namespace, named {@link
 * #NAME_PREFIX} plus the node's name and labelled {@link #NODE_LABEL} with it. A Director whose
 * agent's Lease ran out (renewTime + leaseDurationSeconds is past) has a status nobody keeps.
 */
public final class AgentLeases {
  /** The Lease's name is this plus the node's. */
  public static final String NAME_PREFIX = "kubelvs-agent-";

  /** Label on each agent Lease, with the node's name: what the operator selects them by. */
  public static final String NODE_LABEL = "kubelvs.io/agent-node";

  private AgentLeases() {}

  public static String name(String node) {
    return NAME_PREFIX + node;
  }
}
