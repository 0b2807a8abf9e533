package io.kubelvs.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DirectorChangesTest {
  private final DirectorPool seed = pool("seed", "uid-seed");
  private final DirectorPool other = pool("other", "uid-other");
  private final DirectorSpec spec =
      new DirectorSpec("director-1", "seed", List.of(), List.of(), null);

  @Test
  void aMissingDirectorIsCreatedOwnedByItsPool() {
    DirectorChanges changes = DirectorChanges.between(desired(spec), List.of(), List.of(seed));

    assertThat(changes.create()).hasSize(1);
    Director created = changes.create().get(0);
    assertThat(created.getSpec()).isEqualTo(spec);
    assertThat(created.getMetadata().getLabels()).containsEntry("kubelvs.io/pool", "seed");
    assertThat(created.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo("uid-seed");
    assertThat(created.getMetadata().getOwnerReferences().get(0).getController()).isTrue();
  }

  @Test
  void aDirectorAsPlannedIsLeftAlone() {
    Director existing =
        DirectorChanges.between(desired(spec), List.of(), List.of(seed)).create().get(0);

    assertThat(DirectorChanges.between(desired(spec), List.of(existing), List.of(seed)).isEmpty())
        .isTrue();
  }

  @Test
  void anotherSpecOrAnotherOwnerIsAnUpdate() {
    Director existing =
        DirectorChanges.between(desired(spec), List.of(), List.of(seed)).create().get(0);
    DirectorSpec moved = new DirectorSpec("director-1", "other", List.of(), List.of(), null);

    assertThat(
            DirectorChanges.between(desired(moved), List.of(existing), List.of(seed, other))
                .update())
        .extracting(u -> u.planned().getMetadata().getOwnerReferences().get(0).getUid())
        .containsExactly("uid-other");
  }

  @Test
  void onlyDirectorsOwnedByAPoolAreDeleted() {
    Director owned =
        DirectorChanges.between(desired(spec), List.of(), List.of(seed)).create().get(0);
    Director handMade = new Director();
    handMade.setMetadata(new ObjectMetaBuilder().withName("director-9").build());
    Director ownedBySomethingElse = new Director();
    ownedBySomethingElse.setMetadata(
        new ObjectMetaBuilder()
            .withName("director-8")
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion("v1")
                    .withKind("ConfigMap")
                    .withName("x")
                    .withUid("u")
                    .build())
            .build());

    DirectorChanges changes =
        DirectorChanges.between(
            new TreeMap<>(), List.of(owned, handMade, ownedBySomethingElse), List.of(seed));

    assertThat(changes.delete()).containsExactly("director-1");
  }

  private static SortedMap<String, DirectorSpec> desired(DirectorSpec spec) {
    SortedMap<String, DirectorSpec> map = new TreeMap<>();
    map.put(spec.nodeName(), spec);
    return map;
  }

  private static DirectorPool pool(String name, String uid) {
    DirectorPool pool = new DirectorPool();
    pool.setMetadata(new ObjectMetaBuilder().withName(name).withUid(uid).build());
    return pool;
  }
}
