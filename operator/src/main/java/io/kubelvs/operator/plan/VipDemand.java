package io.kubelvs.operator.plan;

import io.kubelvs.api.v1alpha1.IpFamily;
import java.util.List;
import java.util.Objects;

/**
 * A VIP a pool must carry, with the VirtualServices on it (oldest first; several when they share
 * the VIP on different ports).
 */
record VipDemand(IpAddress vip, List<ServiceRequest> users) {

  VipDemand {
    users = List.copyOf(users);
  }

  IpFamily family() {
    return vip.family();
  }

  /** The virtual servers the VIP brings into its instance: one per port of each user. */
  int servers() {
    return users.stream().mapToInt(u -> u.isFwmark() ? 1 : u.ports().size()).sum();
  }

  Seniority seniority() {
    return users.get(0).seniority();
  }

  /** The node a new placement should prefer: the oldest user's preferredNode, if any. */
  String pin() {
    return users.get(0).preferredNode();
  }

  /** The node every user pins, or null when one pins none or they disagree. */
  String unanimousPin() {
    String pin = users.get(0).preferredNode();
    return pin != null && users.stream().allMatch(u -> Objects.equals(u.preferredNode(), pin))
        ? pin
        : null;
  }

  boolean isPinnedTo(String node) {
    return node != null && users.stream().anyMatch(u -> node.equals(u.preferredNode()));
  }
}
