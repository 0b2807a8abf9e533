package io.kubelvs.operator.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.kubelvs.api.v1alpha1.Condition;
import io.kubelvs.api.v1alpha1.Condition.ConditionStatus;
import io.kubelvs.api.v1alpha1.DirectorState;
import io.kubelvs.api.v1alpha1.VirtualServiceStatus;
import io.kubelvs.api.v1alpha1.VrrpState;
import io.kubelvs.operator.plan.Problem;
import io.kubelvs.operator.plan.VirtualServiceKey;
import io.kubelvs.operator.plan.VirtualServiceOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VirtualServiceStatusesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T1 = Instant.parse("2026-01-01T00:05:00Z");
  private static final VirtualServiceKey SEED_WEB = new VirtualServiceKey("default", "seed-web");

  private final Seed seed = new Seed(1);

  @Test
  void theMasterIsWhoReportsMasterAndBackendsAreAsItsCheckersSeeThem() {
    VirtualServiceStatus status =
        fold(
            seed,
            seed.reported("director-1", VrrpState.BACKUP, Set.of()),
            seed.reported("director-2", VrrpState.MASTER, Set.of("172.16.53.102")));

    assertThat(status.vip()).isEqualTo("172.16.53.50");
    assertThat(status.vrid()).isEqualTo(99);
    assertThat(status.masterNode()).isEqualTo("director-2");
    assertThat(status.backends()).isEqualTo("1/2");
    assertThat(status.directors())
        .extracting(DirectorState::node, DirectorState::state, DirectorState::backends)
        .containsExactly(
            tuple("director-1", VrrpState.BACKUP, "2/2"),
            tuple("director-2", VrrpState.MASTER, "1/2"));
    assertThat(condition(status, "Ready").status()).isEqualTo(ConditionStatus.True);
    assertThat(condition(status, "Degraded").reason()).isEqualTo("BackendsDown");
    assertThat(condition(status, "Degraded").message()).contains("172.16.53.102:80 (HTTP 503)");
  }

  @Test
  void notProgrammedWhileADirectorRunsASpecPlannedFromAnOlderGeneration() {
    Seed changed = new Seed(2); // the service changed; the Directors still carry generation 1
    VirtualServiceStatus status =
        VirtualServiceStatuses.fold(
            changed.service,
            changed.plan.virtualServices().get(SEED_WEB),
            List.of(
                seed.reported("director-1", VrrpState.MASTER, Set.of()),
                seed.reported("director-2", VrrpState.BACKUP, Set.of())),
            T0);

    assertThat(condition(status, "Programmed").status()).isEqualTo(ConditionStatus.False);
    assertThat(condition(status, "Ready").reason()).isEqualTo("NotProgrammed");
    assertThat(status.observedGeneration()).isEqualTo(2L);
    assertThat(status.conditions()).extracting(Condition::observedGeneration).containsOnly(2L);
  }

  @Test
  void programmedNeedsEveryDirectorToHaveAppliedItsSpec() {
    VirtualServiceStatus status =
        fold(
            seed,
            seed.reported("director-1", VrrpState.MASTER, Set.of()),
            seed.unreported("director-2"));

    assertThat(condition(status, "Programmed").message()).contains("director-2");
    assertThat(condition(status, "Ready").status()).isEqualTo(ConditionStatus.False);
  }

  @Test
  void twoMastersAreSplitBrainAndBothShowInTheMasterColumn() {
    VirtualServiceStatus status =
        fold(
            seed,
            seed.reported("director-1", VrrpState.MASTER, Set.of()),
            seed.reported("director-2", VrrpState.MASTER, Set.of()));

    assertThat(status.masterNode()).isEqualTo("director-1,director-2");
    assertThat(condition(status, "Ready").reason()).isEqualTo("SplitBrain");
    assertThat(condition(status, "Degraded").reason()).isEqualTo("SplitBrain");
  }

  @Test
  void noMasterOnceProgrammedIsDegraded() {
    VirtualServiceStatus status =
        fold(
            seed,
            seed.reported("director-1", VrrpState.BACKUP, Set.of()),
            seed.reported("director-2", VrrpState.FAULT, Set.of()));

    assertThat(status.masterNode()).isNull();
    assertThat(condition(status, "Ready").reason()).isEqualTo("NoMaster");
    assertThat(condition(status, "Degraded").reason()).isEqualTo("NoMaster");
  }

  @Test
  void aRejectedServiceCarriesTheProblemAsItsCondition() {
    VirtualServiceStatus status =
        VirtualServiceStatuses.fold(
            seed.service,
            new VirtualServiceOutcome.Rejected(
                SEED_WEB, Problem.conflict("VipPortInUse", "held by VirtualService default/older")),
            List.of(),
            T0);

    assertThat(status.vip()).isNull();
    assertThat(condition(status, "Conflict").status()).isEqualTo(ConditionStatus.True);
    assertThat(condition(status, "Conflict").message()).contains("default/older");
    assertThat(condition(status, "Invalid").status()).isEqualTo(ConditionStatus.False);
    assertThat(condition(status, "Ready").reason()).isEqualTo("VipPortInUse");
  }

  @Test
  void foldingTheSameInputsAgainLaterGivesAnEqualStatus() {
    List<DirectorView> directors =
        List.of(
            seed.reported("director-1", VrrpState.MASTER, Set.of()),
            seed.reported("director-2", VrrpState.BACKUP, Set.of()));
    VirtualServiceStatus first =
        VirtualServiceStatuses.fold(
            seed.service, seed.plan.virtualServices().get(SEED_WEB), directors, T0);
    seed.service.setStatus(first);

    VirtualServiceStatus again =
        VirtualServiceStatuses.fold(
            seed.service, seed.plan.virtualServices().get(SEED_WEB), directors, T1);

    assertThat(again).isEqualTo(first);
  }

  @Test
  void aConditionThatChangesGetsANewTransitionTime() {
    VirtualServiceStatus first =
        fold(seed, seed.unreported("director-1"), seed.unreported("director-2"));
    seed.service.setStatus(first);

    VirtualServiceStatus later =
        VirtualServiceStatuses.fold(
            seed.service,
            seed.plan.virtualServices().get(SEED_WEB),
            List.of(
                seed.reported("director-1", VrrpState.MASTER, Set.of()),
                seed.reported("director-2", VrrpState.BACKUP, Set.of())),
            T1);

    assertThat(condition(later, "Ready").lastTransitionTime()).isEqualTo(T1.toString());
    assertThat(condition(later, "Conflict").lastTransitionTime()).isEqualTo(T0.toString());
  }

  private static VirtualServiceStatus fold(Seed seed, DirectorView... directors) {
    return VirtualServiceStatuses.fold(
        seed.service, seed.plan.virtualServices().get(SEED_WEB), List.of(directors), T0);
  }

  static Condition condition(VirtualServiceStatus status, String type) {
    return status.conditions().stream()
        .filter(c -> c.type().equals(type))
        .findFirst()
        .orElseThrow();
  }
}
