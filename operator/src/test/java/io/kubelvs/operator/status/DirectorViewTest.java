package io.kubelvs.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.kubelvs.api.v1alpha1.Condition;
import io.kubelvs.api.v1alpha1.Condition.ConditionStatus;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import io.kubelvs.api.v1alpha1.DirectorStatus;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
import io.kubelvs.api.v1alpha1.VirtualServerSetRef;
import io.kubelvs.api.v1alpha1.VrrpInstance;
import io.kubelvs.operator.plan.VirtualServiceKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class DirectorViewTest {
  private static final VirtualServiceKey CHANGED_IN_3 = new VirtualServiceKey("default", "web");
  private static final VirtualServiceKey CHANGED_IN_2 = new VirtualServiceKey("default", "db");

  @Test
  void aServiceIsAppliedWhenTheAgentRunsTheGenerationThatLastChangedIt() {
    DirectorView view = view(ConditionStatus.True);

    assertThat(view.appliedCurrent()).isFalse();
    assertThat(view.appliedFor(CHANGED_IN_2)).isTrue();
    assertThat(view.appliedFor(CHANGED_IN_3)).isFalse();
  }

  @Test
  void nothingIsAppliedWhenTheAgentDoesNotSayApplied() {
    assertThat(view(ConditionStatus.False).appliedFor(CHANGED_IN_2)).isFalse();
  }

  @Test
  void withoutKnowingWhenAServiceChangedTheCurrentGenerationCounts() {
    DirectorView view = new DirectorView("director-1", 3, null, reportedAt2(ConditionStatus.True));

    assertThat(view.appliedFor(CHANGED_IN_2)).isFalse();
  }

  @Test
  void aServiceInASetIsAppliedWhenTheAgentRunsTheSetGenerationThatLastChangedIt() {
    Seed seed = new Seed(1);
    VirtualServiceKey web = VirtualServiceKey.of(seed.service);
    DirectorSpec planned = seed.spec("director-1");
    VrrpInstance instance = planned.vrrpInstances().get(0);
    DirectorSpec referencing = Seed.namingTheSet(planned);
    VirtualServerSet set = Seed.set(3L, instance.virtualServers());

    // The agent runs the set at 2; web's entries changed in 3, unknown (then 3: the set's own).
    assertThat(setView(referencing, set, 2L, OptionalLong.of(3)).appliedFor(web)).isFalse();
    assertThat(setView(referencing, set, 2L, OptionalLong.empty()).appliedFor(web)).isFalse();
    // They changed in 2, or the agent runs 3.
    assertThat(setView(referencing, set, 2L, OptionalLong.of(2)).appliedFor(web)).isTrue();
    assertThat(setView(referencing, set, 3L, OptionalLong.empty()).appliedFor(web)).isTrue();
    // The view reads the set's servers as the Director's.
    assertThat(setView(referencing, set, 3L, OptionalLong.empty()).virtualServersOf(web))
        .isEqualTo(instance.virtualServers());
  }

  /** The Director at generation 1, its agent running it with the set at {@code setApplied}. */
  private static DirectorView setView(
      DirectorSpec spec, VirtualServerSet set, long setApplied, OptionalLong changedInSet) {
    Director director = new Director();
    director.setMetadata(new ObjectMetaBuilder().withName("director-1").withGeneration(1L).build());
    director.setSpec(spec);
    director.setStatus(
        new DirectorStatus(
            1L,
            List.of(new VirtualServerSetRef(Seed.SET, setApplied)),
            1,
            null,
            List.of(),
            List.of(),
            List.of(
                new Condition(
                    "Applied",
                    ConditionStatus.True,
                    1L,
                    "2026-01-01T00:00:00Z",
                    "Applied",
                    "ok"))));
    return DirectorView.of(
        director,
        Map.of(Seed.SET, set),
        Optional.empty(),
        new DirectorView.ChangedAt() {
          @Override
          public OptionalLong generation(String d, VirtualServiceKey key) {
            return OptionalLong.empty();
          }

          @Override
          public OptionalLong setGeneration(String s, VirtualServiceKey key) {
            return changedInSet;
          }

          @Override
          public long version() {
            return 0;
          }
        });
  }

  /** A Director at generation 3 whose agent reports generation 2. */
  private static DirectorView view(ConditionStatus applied) {
    return new DirectorView(
        "director-1",
        3,
        null,
        reportedAt2(applied),
        Optional.empty(),
        key -> key.equals(CHANGED_IN_3) ? 3 : 2);
  }

  private static DirectorStatus reportedAt2(ConditionStatus applied) {
    return new DirectorStatus(
        2L,
        null,
        0,
        null,
        List.of(),
        List.of(),
        List.of(new Condition("Applied", applied, 2L, "2026-01-01T00:00:00Z", "Applied", "ok")));
  }
}
