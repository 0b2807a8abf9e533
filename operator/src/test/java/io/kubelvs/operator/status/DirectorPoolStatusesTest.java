package io.kubelvs.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.api.v1alpha1.Condition;
import io.kubelvs.api.v1alpha1.DirectorPoolStatus;
import io.kubelvs.api.v1alpha1.PoolNode;
import io.kubelvs.api.v1alpha1.VrrpState;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DirectorPoolStatusesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final Seed seed = new Seed(1);

  @Test
  void aNodeIsReadyWhenItsAgentRunsItsCurrentDirector() {
    DirectorPoolStatus status =
        fold(
            seed.reported("director-1", VrrpState.MASTER, Set.of()), seed.unreported("director-2"));

    assertThat(status.nodes())
        .extracting(PoolNode::name, PoolNode::ready)
        .containsExactly(
            org.assertj.core.api.Assertions.tuple("director-1", true),
            org.assertj.core.api.Assertions.tuple("director-2", false));
    assertThat(status.readyNodes()).isEqualTo("1/2");
    assertThat(status.vipCount()).isEqualTo(1);
    assertThat(status.allocations()).isEqualTo(seed.plan.pools().get("seed").allocations());
    assertThat(condition(status, "Ready").status()).isEqualTo(Condition.ConditionStatus.True);
    assertThat(condition(status, "Degraded").reason()).isEqualTo("NodesNotApplied");
    assertThat(condition(status, "Degraded").message()).contains("director-2");
  }

  @Test
  void twoMastersOfAnInstanceDegradeThePool() {
    DirectorPoolStatus status =
        fold(
            seed.reported("director-1", VrrpState.MASTER, Set.of()),
            seed.reported("director-2", VrrpState.MASTER, Set.of()));

    assertThat(condition(status, "Degraded").reason()).isEqualTo("SplitBrain");
    assertThat(condition(status, "Degraded").message()).contains("director-1 and director-2");
  }

  @Test
  void allIsWellWhenEveryNodeRunsAndOneIsMaster() {
    DirectorPoolStatus status =
        fold(
            seed.reported("director-1", VrrpState.MASTER, Set.of()),
            seed.reported("director-2", VrrpState.BACKUP, Set.of()));

    assertThat(status.readyNodes()).isEqualTo("2/2");
    assertThat(status.conditions())
        .extracting(Condition::type, Condition::status)
        .containsExactly(
            org.assertj.core.api.Assertions.tuple("Ready", Condition.ConditionStatus.True),
            org.assertj.core.api.Assertions.tuple("Degraded", Condition.ConditionStatus.False),
            org.assertj.core.api.Assertions.tuple("Exhausted", Condition.ConditionStatus.False),
            org.assertj.core.api.Assertions.tuple("Invalid", Condition.ConditionStatus.False));
  }

  private DirectorPoolStatus fold(DirectorView... directors) {
    return DirectorPoolStatuses.fold(
        seed.pool, seed.plan.pools().get("seed"), List.of(directors), T0);
  }

  private static Condition condition(DirectorPoolStatus status, String type) {
    return status.conditions().stream()
        .filter(c -> c.type().equals(type))
        .findFirst()
        .orElseThrow();
  }
}
