package io.kubelvs.operator.reconcile;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.DirectorPoolStatus;
import io.kubelvs.api.v1alpha1.VirtualService;
import io.kubelvs.api.v1alpha1.VirtualServiceStatus;
import io.kubelvs.operator.plan.Plan;
import io.kubelvs.operator.plan.PoolOutcome;
import io.kubelvs.operator.plan.VirtualServiceKey;
import io.kubelvs.operator.status.DirectorPoolStatuses;
import io.kubelvs.operator.status.DirectorView;
import io.kubelvs.operator.status.StatusFolds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The DirectorPools and VirtualServices whose status must change, as copies carrying the new status
 * (the caches' objects stay untouched) and the resourceVersion it was computed against, so a write
 * over a newer object fails with 409 instead of overwriting what it did not see. A status equal to
 * the one the object has is not written.
 */
public record StatusChanges(List<DirectorPool> pools, List<VirtualService> virtualServices) {

  public StatusChanges {
    pools = List.copyOf(pools);
    virtualServices = List.copyOf(virtualServices);
  }

  /** Nothing to write. */
  public static StatusChanges none() {
    return new StatusChanges(List.of(), List.of());
  }

  public boolean isEmpty() {
    return pools.isEmpty() && virtualServices.isEmpty();
  }

  /**
   * @param changedAt the generation of a Director or set in which each service's entries last
   *     changed, where this operator wrote it
   * @param folds the last pass's folds, of which those whose inputs are the same are kept
   */
  public static StatusChanges between(
      Plan plan,
      ClusterSnapshot snapshot,
      Instant now,
      DirectorView.ChangedAt changedAt,
      StatusFolds folds) {
    List<DirectorView> directors =
        folds.views(
            snapshot.directors(),
            VirtualServerSets.byName(snapshot.virtualServerSets()),
            snapshot.silentAgents(now),
            changedAt);
    List<DirectorPool> pools = new ArrayList<>();
    for (DirectorPool pool : snapshot.pools()) {
      PoolOutcome outcome = plan.pools().get(pool.getMetadata().getName());
      if (outcome == null) {
        continue;
      }
      DirectorPoolStatus status = DirectorPoolStatuses.fold(pool, outcome, directors, now);
      if (!status.equals(pool.getStatus())) {
        DirectorPool copy = new DirectorPool();
        copy.setMetadata(new ObjectMetaBuilder(pool.getMetadata()).build());
        copy.setSpec(pool.getSpec());
        copy.setStatus(status);
        pools.add(copy);
      }
    }
    Map<VirtualServiceKey, VirtualServiceStatus> changed =
        folds.fold(snapshot.virtualServices(), plan.virtualServices(), directors, changedAt, now);
    List<VirtualService> services = new ArrayList<>();
    for (VirtualService vs : snapshot.virtualServices()) {
      VirtualServiceStatus status =
          changed.isEmpty() ? null : changed.get(VirtualServiceKey.of(vs));
      if (status != null) {
        VirtualService copy = new VirtualService();
        copy.setMetadata(new ObjectMetaBuilder(vs.getMetadata()).build());
        copy.setSpec(vs.getSpec());
        copy.setStatus(status);
        services.add(copy);
      }
    }
    return new StatusChanges(pools, services);
  }
}
