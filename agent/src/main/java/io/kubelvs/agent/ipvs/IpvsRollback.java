package io.kubelvs.agent.ipvs;

import io.kubelvs.agent.ipvs.IpvsOperation.AddDestination;
import io.kubelvs.agent.ipvs.IpvsOperation.AddService;
import io.kubelvs.agent.ipvs.IpvsOperation.DeleteDestination;
import io.kubelvs.agent.ipvs.IpvsOperation.DeleteService;
import io.kubelvs.agent.ipvs.IpvsOperation.EditDestination;
import io.kubelvs.agent.ipvs.IpvsOperation.EditService;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The operations that undo accepted ones, so that a plan the kernel refused in part leaves the
 * table as it was read (invariant 4). Old values come from the snapshot the plan was made from.
 */
final class IpvsRollback {
  private IpvsRollback() {}

  /**
   * The inverses of {@code accepted}, last first. Destination changes of a service this plan
   * created are skipped: deleting the service removes them with it.
   */
  static List<IpvsOperation> undo(List<IpvsOperation> accepted, KernelSnapshot before) {
    Set<ServiceKey> created = new HashSet<>();
    accepted.stream()
        .filter(AddService.class::isInstance)
        .forEach(op -> created.add(op.serviceKey()));
    List<IpvsOperation> inverse = new ArrayList<>();
    for (int i = accepted.size() - 1; i >= 0; i--) {
      IpvsOperation op = accepted.get(i);
      if (op instanceof AddService || !created.contains(op.serviceKey())) {
        inverse.addAll(inverseOf(op, before));
      }
    }
    return inverse;
  }

  private static List<IpvsOperation> inverseOf(IpvsOperation op, KernelSnapshot before) {
    ServiceKey key = op.serviceKey();
    if (op instanceof AddService) {
      return List.of(new DeleteService(key));
    } else if (op instanceof EditService) {
      return List.of(new EditService(before.service(key)));
    } else if (op instanceof DeleteService) {
      return recreate(key, before);
    } else if (op instanceof AddDestination add) {
      return List.of(new DeleteDestination(key, add.destination().key()));
    } else if (op instanceof EditDestination edit) {
      return List.of(new EditDestination(key, before.destination(key, edit.destination().key())));
    }
    DeleteDestination delete = (DeleteDestination) op;
    return List.of(new AddDestination(key, before.destination(key, delete.destination())));
  }

  /** A deleted service comes back with the settings and real servers it had. */
  private static List<IpvsOperation> recreate(ServiceKey key, KernelSnapshot before) {
    List<IpvsOperation> ops = new ArrayList<>();
    ops.add(new AddService(before.service(key)));
    for (ObservedDestination o : before.destinationsOf(key)) {
      ops.add(new AddDestination(key, o.destination()));
    }
    return ops;
  }
}
