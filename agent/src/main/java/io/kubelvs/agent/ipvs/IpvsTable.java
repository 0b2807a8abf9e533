package io.kubelvs.agent.ipvs;

import java.util.List;

/**
 * The kernel's IPVS table as the reconciler sees it. {@link IpvsClient} implements it over generic
 * netlink; tests of the reconciler's logic may use an in-memory one.
 */
public interface IpvsTable {

  /** Every service in the table (IPVS_CMD_GET_SERVICE dump). */
  List<ObservedService> services();

  /** The destinations of one service (IPVS_CMD_GET_DEST dump). */
  List<ObservedDestination> destinations(ServiceKey service);

  /**
   * Applies the operations in order, sent together (one sendmsg where possible), and reports each
   * one's outcome: the kernel handles every request on its own, so a refusal of one does not stop
   * the ones after it.
   */
  List<OperationResult> apply(List<IpvsOperation> operations);

  /** The outcome of one operation: {@code error} is null when the kernel accepted it. */
  record OperationResult(IpvsOperation operation, IpvsException error) {
    public boolean succeeded() {
      return error == null;
    }
  }
}
