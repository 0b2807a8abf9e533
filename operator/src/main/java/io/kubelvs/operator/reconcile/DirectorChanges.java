package io.kubelvs.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What must be written to make the Directors the plan's: those to create, those whose spec or owner
 * differs, and those to delete. Only differences are written, so a pass over an unchanged cluster
 * writes nothing, and a restarted operator leaves every Director as it is.
 *
 * <p>Each Director is owned (controller reference) by its DirectorPool, so deleting the pool lets
 * the garbage collector delete its Directors. A Director without such an owner was not written by
 * the operator and is never deleted by it.
 *
 * @param create new Directors, metadata and spec
 * @param update Directors whose spec or owner must change: as cached, and as planned
 * @param delete names of Directors the plan has no more
 */
public record DirectorChanges(List<Director> create, List<Update> update, List<String> delete) {

  /**
   * One Director to rewrite.
   *
   * @param cached as the informer holds it (its resourceVersion is the write's precondition)
   * @param planned metadata (with the new owner) and spec as planned
   */
  public record Update(Director cached, Director planned) {}

  public static final String POOL_LABEL = "kubelvs.io/pool";

  public DirectorChanges {
    create = List.copyOf(create);
    update = List.copyOf(update);
    delete = List.copyOf(delete);
  }

  public boolean isEmpty() {
    return create.isEmpty() && update.isEmpty() && delete.isEmpty();
  }

  public static DirectorChanges between(
      SortedMap<String, DirectorSpec> desired,
      Collection<Director> existing,
      Collection<DirectorPool> pools) {
    return between(desired, existing, pools, PassMemo.none());
  }

  /** {@link #between}, reusing last pass's comparison of the same planned and cached objects. */
  static DirectorChanges between(
      SortedMap<String, DirectorSpec> desired,
      Collection<Director> existing,
      Collection<DirectorPool> pools,
      PassMemo memo) {
    Map<String, Director> byName = new TreeMap<>();
    existing.forEach(d -> byName.put(d.getMetadata().getName(), d));
    Map<String, DirectorPool> poolByName = new TreeMap<>();
    pools.forEach(p -> poolByName.put(p.getMetadata().getName(), p));
    List<Director> create = new ArrayList<>();
    List<Update> update = new ArrayList<>();
    desired.forEach(
        (node, spec) -> {
          DirectorPool pool = poolByName.get(spec.poolName());
          Director have = byName.get(node);
          if (have == null) {
            create.add(director(node, spec, pool));
          } else if (memo.<Boolean>get(
              "director-differs/" + node,
              null,
              () -> !spec.equals(have.getSpec()) || !ownedBy(have, pool),
              spec,
              have,
              pool)) {
            update.add(new Update(have, director(node, spec, pool)));
          }
        });
    List<String> delete =
        byName.values().stream()
            .filter(d -> !desired.containsKey(d.getMetadata().getName()))
            .filter(DirectorChanges::ownedByAnyPool)
            .map(d -> d.getMetadata().getName())
            .toList();
    return new DirectorChanges(create, update, delete);
  }

  private static Director director(String node, DirectorSpec spec, DirectorPool pool) {
    Director director = new Director();
    director.setMetadata(
        new ObjectMetaBuilder()
            .withName(node)
            .addToLabels(POOL_LABEL, spec.poolName())
            .withOwnerReferences(ownerReference(pool))
            .build());
    director.setSpec(spec);
    return director;
  }

  static OwnerReference ownerReference(DirectorPool pool) {
    return new OwnerReferenceBuilder()
        .withApiVersion(pool.getApiVersion())
        .withKind(pool.getKind())
        .withName(pool.getMetadata().getName())
        .withUid(pool.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  private static boolean ownedBy(Director director, DirectorPool pool) {
    List<OwnerReference> owners = director.getMetadata().getOwnerReferences();
    return owners != null
        && owners.size() == 1
        && owners.get(0).equals(ownerReference(pool))
        && pool.getMetadata().getName().equals(labels(director).get(POOL_LABEL));
  }

  /**
   * Whether a DirectorPool owns the object: this operator wrote it (a Director or a set), and only
   * such objects does it delete.
   */
  static boolean ownedByAnyPool(HasMetadata object) {
    List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
    return owners != null
        && owners.stream()
            .anyMatch(
                o ->
                    "DirectorPool".equals(o.getKind())
                        && o.getApiVersion() != null
                        && o.getApiVersion().startsWith("kubelvs.io/"));
  }

  private static Map<String, String> labels(Director director) {
    Map<String, String> labels = director.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }
}
