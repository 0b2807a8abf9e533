package io.kubelvs.operator.plan;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import java.util.List;
import java.util.Map;

/**
 * What the planner needs of a Node: its labels (pool selectors), its InternalIPs (unicast peers)
 * and whether it is Ready (who should be master now). An immutable copy, so a plan never sees an
 * informer's object change under it.
 */
public record NodeFacts(
    String name, Map<String, String> labels, List<String> internalIps, boolean ready) {

  public NodeFacts {
    labels = Map.copyOf(labels);
    internalIps = List.copyOf(internalIps);
  }

  public static NodeFacts of(Node node) {
    Map<String, String> labels = node.getMetadata().getLabels();
    List<String> internalIps = List.of();
    boolean ready = false;
    if (node.getStatus() != null) {
      List<NodeAddress> addresses =
          node.getStatus().getAddresses() == null ? List.of() : node.getStatus().getAddresses();
      internalIps =
          addresses.stream()
              .filter(a -> "InternalIP".equals(a.getType()) && a.getAddress() != null)
              .map(NodeAddress::getAddress)
              .toList();
      List<NodeCondition> conditions =
          node.getStatus().getConditions() == null ? List.of() : node.getStatus().getConditions();
      ready =
          conditions.stream()
              .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
    return new NodeFacts(
        node.getMetadata().getName(), labels == null ? Map.of() : labels, internalIps, ready);
  }
}
