package io.kubelvs.agent.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.vrrp.StateChange;
import io.kubelvs.agent.vrrp.VrrpRole;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The state changes the runners publish, counted by the state entered and timed on the wall. */
class VrrpTransitionsTest {
  private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
  private static final long MONOTONIC_NOW = 50_000_000_000L;

  private final VrrpTransitions transitions =
      new VrrpTransitions(() -> MONOTONIC_NOW, InstantSource.fixed(NOW));

  @Test
  void eachChangeIsCountedUnderTheStateItEntered() {
    transitions.accept(change("VI_1", VrrpRole.INIT, VrrpRole.BACKUP, "start", 0));
    transitions.accept(change("VI_1", VrrpRole.BACKUP, VrrpRole.MASTER, "master down", 0));
    transitions.accept(change("VI_1", VrrpRole.MASTER, VrrpRole.BACKUP, "higher priority", 0));
    transitions.accept(change("VI_2", VrrpRole.INIT, VrrpRole.FAULT, "link down", 0));

    assertThat(transitions.entered("VI_1"))
        .isEqualTo(
            Map.of(
                VrrpRole.BACKUP,
                2L,
                VrrpRole.MASTER,
                1L,
                VrrpRole.FAULT,
                0L,
                VrrpRole.STOPPED,
                0L));
    assertThat(transitions.entered("VI_2")).containsEntry(VrrpRole.FAULT, 1L);
    assertThat(transitions.last("VI_1").orElseThrow().reason()).isEqualTo("higher priority");
  }

  @Test
  void anInstanceNeverHeardHasZerosAndNoLastChange() {
    assertThat(transitions.entered("VI_9"))
        .containsOnlyKeys(VrrpRole.BACKUP, VrrpRole.MASTER, VrrpRole.FAULT, VrrpRole.STOPPED);
    assertThat(transitions.entered("VI_9").values()).containsOnly(0L);
    assertThat(transitions.last("VI_9")).isEmpty();
  }

  @Test
  void theWallTimeOfAChangeIsWhenItHappenedNotWhenItWasHeard() {
    long threeSecondsAgo = MONOTONIC_NOW - Duration.ofSeconds(3).toNanos();

    transitions.accept(change("VI_1", VrrpRole.BACKUP, VrrpRole.MASTER, "x", threeSecondsAgo));

    assertThat(transitions.last("VI_1").orElseThrow().at()).isEqualTo(NOW.minusSeconds(3));
  }

  private static StateChange change(
      String instance, VrrpRole from, VrrpRole to, String reason, long monotonicNanos) {
    return new StateChange(
        instance, from, to, reason, monotonicNanos == 0 ? MONOTONIC_NOW : monotonicNanos);
  }
}
