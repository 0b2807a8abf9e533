package io.kubelvs.agent.ipvs;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@link IpvsPlanner} decided: the operations to send, in order; the desired services it left
 * alone because a foreign rule holds their key; and the services kubelvs owns once the operations
 * are applied.
 */
public record IpvsPlan(
    List<IpvsOperation> operations, List<Conflict> conflicts, Set<ServiceKey> owned) {

  public IpvsPlan {
    operations = List.copyOf(operations);
    conflicts = List.copyOf(conflicts);
    owned = Collections.unmodifiableSet(new LinkedHashSet<>(owned));
  }

  /**
   * A desired service whose key the kernel already has from someone else (kube-proxy, kube-router,
   * a hand-made ipvsadm rule). It is reported, never overwritten.
   */
  public record Conflict(ServiceKey key, String message) {
    @Override
    public String toString() {
      return message;
    }
  }

  /** The services this plan creates: owned before the first request goes out (write-ahead). */
  public Set<ServiceKey> addedServices() {
    Set<ServiceKey> added = new LinkedHashSet<>();
    for (IpvsOperation op : operations) {
      if (op instanceof IpvsOperation.AddService add) {
        added.add(add.serviceKey());
      }
    }
    return added;
  }

  public boolean changesNothing() {
    return operations.isEmpty();
  }
}
