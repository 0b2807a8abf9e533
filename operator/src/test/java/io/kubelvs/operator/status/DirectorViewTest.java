package io.kubelvs.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.api.v1alpha1.Condition;
import io.kubelvs.api.v1alpha1.Condition.ConditionStatus;
import io.kubelvs.api.v1alpha1.DirectorStatus;
import io.kubelvs.operator.plan.VirtualServiceKey;
import java.util.List;
import java.util.Optional;
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
        0,
        null,
        List.of(),
        List.of(),
        List.of(new Condition("Applied", applied, 2L, "2026-01-01T00:00:00Z", "Applied", "ok")));
  }
}
