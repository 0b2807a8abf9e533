package io.kubelvs.agent.ipvs;

import io.kubelvs.agent.ipvs.IpvsTable.OperationResult;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the kernel's IPVS table to the desired services: read the table, plan the fewest
 * operations ({@link IpvsPlanner}), apply them, and remember what kubelvs owns. A thin shell over
 * the planner; all decisions are there.
 *
 * <p>Ownership is written ahead: before the first request goes out, the store already holds every
 * service the plan is about to create, so if the agent dies mid-apply the next reconcile still
 * knows them as its own instead of taking them for foreign rules.
 */
public final class IpvsReconciler {
  private static final Logger log = LoggerFactory.getLogger(IpvsReconciler.class);

  private final IpvsTable table;
  private final OwnedServicesStore store;
  private final IpvsPlanner planner = new IpvsPlanner();

  public IpvsReconciler(IpvsTable table, OwnedServicesStore store) {
    this.table = Objects.requireNonNull(table, "table");
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * One pass. If the kernel refuses any operation, the accepted ones are undone in reverse order
   * and an {@link IpvsReconcileException} lists the refusals. If reading or sending fails as a
   * whole (an {@link IpvsException} from the table), it propagates: what was applied is unknown,
   * and the next pass reconciles from the kernel's state with the written-ahead ownership.
   *
   * @throws IllegalArgumentException when two desired services share a key (nothing is changed)
   */
  public ReconcileResult reconcile(Collection<DesiredService> desired) {
    Set<ServiceKey> owned = store.load();
    KernelSnapshot before = read(owned);
    IpvsPlan plan = planner.plan(desired, owned, before.services(), before.destinations());
    plan.conflicts()
        .forEach(c -> log.warn("ipvs conflict service=\"{}\" reason=\"{}\"", c.key(), c.message()));
    if (plan.changesNothing()) {
      saveIfChanged(owned, plan.owned());
      log.debug("ipvs reconciled operations=0 owned={}", plan.owned().size());
      return new ReconcileResult(List.of(), plan.conflicts(), plan.owned());
    }
    saveIfChanged(owned, union(owned, plan.addedServices()));
    List<OperationResult> results = apply(plan.operations());
    List<OperationResult> refused = refusals(results);
    if (!refused.isEmpty()) {
      throw rollBack(results, refused, before, owned);
    }
    store.save(plan.owned());
    ReconcileResult result = new ReconcileResult(plan.operations(), plan.conflicts(), plan.owned());
    log.info("ipvs reconciled {} owned={}", result.counts(), plan.owned().size());
    return result;
  }

  /** Destinations are read only for owned services: foreign ones are never diffed nor undone. */
  private KernelSnapshot read(Set<ServiceKey> owned) {
    List<ObservedService> services = table.services();
    Map<ServiceKey, List<ObservedDestination>> destinations = new HashMap<>();
    for (ObservedService o : services) {
      ServiceKey key = o.service().key();
      if (owned.contains(key)) {
        destinations.put(key, table.destinations(key));
      }
    }
    return new KernelSnapshot(services, destinations);
  }

  private List<OperationResult> apply(List<IpvsOperation> operations) {
    List<OperationResult> results = table.apply(operations);
    if (results.size() != operations.size()) {
      throw new IllegalStateException(
          "IPVS table answered " + results.size() + " of " + operations.size() + " operations");
    }
    return results;
  }

  private IpvsReconcileException rollBack(
      List<OperationResult> results,
      List<OperationResult> refused,
      KernelSnapshot before,
      Set<ServiceKey> owned) {
    List<IpvsOperation> accepted =
        results.stream()
            .filter(OperationResult::succeeded)
            .map(OperationResult::operation)
            .toList();
    List<IpvsOperation> undo = IpvsRollback.undo(accepted, before);
    List<OperationResult> undoRefused = undo.isEmpty() ? List.of() : refusals(apply(undo));
    // The only deletions in an undo remove services created here: one still there is still ours.
    Set<ServiceKey> stillOwned = new HashSet<>(owned);
    for (OperationResult r : undoRefused) {
      if (r.operation() instanceof IpvsOperation.DeleteService d) {
        stillOwned.add(d.serviceKey());
      }
    }
    store.save(stillOwned);
    IpvsReconcileException error =
        new IpvsReconcileException(results.size(), accepted.size(), refused, undoRefused);
    String oneLine = error.getMessage().replace(":\n  ", ": ").replace("\n  ", "; ");
    log.error(
        "ipvs reconcile refused table_unchanged={} error=\"{}\"", undoRefused.isEmpty(), oneLine);
    return error;
  }

  private static List<OperationResult> refusals(List<OperationResult> results) {
    return results.stream().filter(r -> !r.succeeded()).toList();
  }

  private void saveIfChanged(Set<ServiceKey> before, Set<ServiceKey> after) {
    if (!after.equals(before)) {
      store.save(after);
    }
  }

  private static Set<ServiceKey> union(Set<ServiceKey> a, Set<ServiceKey> b) {
    Set<ServiceKey> union = new HashSet<>(a);
    union.addAll(b);
    return union;
  }
}
