package io.kubelvs.agent.ipvs;

import java.util.List;
import java.util.Set;

/**
 * What one successful {@link IpvsReconciler#reconcile} did.
 *
 * @param applied the operations the kernel accepted, in the order sent: one netlink request each
 * @param conflicts desired services left alone because a foreign rule holds their key
 * @param owned the services kubelvs owns now
 */
public record ReconcileResult(
    List<IpvsOperation> applied, List<IpvsPlan.Conflict> conflicts, Set<ServiceKey> owned) {

  public ReconcileResult {
    applied = List.copyOf(applied);
    conflicts = List.copyOf(conflicts);
    owned = Set.copyOf(owned);
  }

  public OperationCounts counts() {
    return OperationCounts.of(applied);
  }

  /** How many operations of each kind; {@link #toString} is a log line. */
  public record OperationCounts(
      int servicesAdded,
      int servicesEdited,
      int servicesDeleted,
      int destinationsAdded,
      int destinationsEdited,
      int destinationsDeleted) {

    public static OperationCounts of(List<IpvsOperation> operations) {
      int[] n = new int[6];
      for (IpvsOperation op : operations) {
        n[kind(op)]++;
      }
      return new OperationCounts(n[0], n[1], n[2], n[3], n[4], n[5]);
    }

    public int total() {
      return servicesAdded
          + servicesEdited
          + servicesDeleted
          + destinationsAdded
          + destinationsEdited
          + destinationsDeleted;
    }

    private static int kind(IpvsOperation op) {
      if (op instanceof IpvsOperation.AddService) {
        return 0;
      } else if (op instanceof IpvsOperation.EditService) {
        return 1;
      } else if (op instanceof IpvsOperation.DeleteService) {
        return 2;
      } else if (op instanceof IpvsOperation.AddDestination) {
        return 3;
      } else if (op instanceof IpvsOperation.EditDestination) {
        return 4;
      }
      return 5;
    }

    @Override
    public String toString() {
      return "services_added="
          + servicesAdded
          + " services_edited="
          + servicesEdited
          + " services_deleted="
          + servicesDeleted
          + " destinations_added="
          + destinationsAdded
          + " destinations_edited="
          + destinationsEdited
          + " destinations_deleted="
          + destinationsDeleted;
    }
  }
}
