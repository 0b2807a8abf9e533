package io.kubelvs.agent.ipvs;

import io.kubelvs.agent.ipvs.IpvsTable.OperationResult;
import java.util.List;

/**
 * The kernel refused part of a reconcile. The accepted operations were rolled back; {@link
 * #rollbackFailures()} is empty when that worked, so the table is as it was before.
 */
public final class IpvsReconcileException extends IpvsException {
  private final List<OperationResult> refused;
  private final List<OperationResult> rollbackFailures;

  IpvsReconcileException(
      int planned, int accepted, List<OperationResult> refused, List<OperationResult> failures) {
    super(
        message(planned, accepted, refused, failures),
        refused.get(0).error().errnoName(),
        refused.get(0).error());
    this.refused = List.copyOf(refused);
    this.rollbackFailures = List.copyOf(failures);
  }

  /** The operations the kernel refused, each with its error. */
  public List<OperationResult> refused() {
    return refused;
  }

  /** Undo operations the kernel refused too: the table is partly changed when this is not empty. */
  public List<OperationResult> rollbackFailures() {
    return rollbackFailures;
  }

  public boolean tableUnchanged() {
    return rollbackFailures.isEmpty();
  }

  private static String message(
      int planned, int accepted, List<OperationResult> refused, List<OperationResult> failures) {
    StringBuilder text = new StringBuilder();
    text.append("the kernel refused ")
        .append(refused.size())
        .append(" of ")
        .append(planned)
        .append(" IPVS operations; ");
    if (failures.isEmpty()) {
      text.append("the ").append(accepted).append(" accepted were rolled back, table unchanged:");
    } else {
      text.append("rolling back the ")
          .append(accepted)
          .append(" accepted failed too, the table is partly changed:");
    }
    refused.forEach(r -> text.append("\n  ").append(describe(r)));
    failures.forEach(r -> text.append("\n  rollback: ").append(describe(r)));
    return text.toString();
  }

  /** The client's errors already start with the command and object; older ones may not. */
  private static String describe(OperationResult result) {
    String error = String.valueOf(result.error().getMessage());
    String operation = result.operation().toString();
    return error.startsWith(operation) ? error : operation + ": " + error;
  }
}
