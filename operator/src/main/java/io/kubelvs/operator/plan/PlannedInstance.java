package io.kubelvs.operator.plan;

import io.kubelvs.api.v1alpha1.IpFamily;
import java.util.List;

/**
 * A VRRP instance of a pool as planned: its VIPs and the order of the pool's nodes in it (the first
 * gets the highest priority).
 */
record PlannedInstance(
    String name,
    int vrid,
    IpFamily family,
    String preferredMaster,
    List<PoolMember> order,
    List<IpAddress> vips) {

  PlannedInstance {
    order = List.copyOf(order);
    vips = List.copyOf(vips);
  }

  /** The first Ready node in the order: who should be master now; null if none is Ready. */
  String plannedMaster() {
    return order.stream().filter(PoolMember::ready).map(PoolMember::name).findFirst().orElse(null);
  }

  int rank(String node) {
    for (int i = 0; i < order.size(); i++) {
      if (order.get(i).name().equals(node)) {
        return i;
      }
    }
    throw new IllegalArgumentException(node + " is not a node of instance " + name);
  }
}
