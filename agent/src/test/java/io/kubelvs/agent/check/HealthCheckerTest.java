package io.kubelvs.agent.check;

import static io.kubelvs.agent.check.CheckHarness.TIMING;
import static io.kubelvs.agent.check.CheckHarness.VS;
import static io.kubelvs.agent.check.CheckHarness.at;
import static io.kubelvs.agent.check.CheckHarness.rs;
import static io.kubelvs.agent.check.CheckHarness.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The facade: applying configurations as a diff, removal, invalid configurations, snapshots, and
 * shutdown with and without omega.
 */
class HealthCheckerTest {
  private static final String OTHER_VS = "198.18.0.51:443/TCP";
  private static final CheckTiming NO_RETRY = TIMING.withRetries(0, Duration.ofSeconds(1));

  private final CheckHarness harness = new CheckHarness();

  private static Duration seconds(long seconds) {
    return Duration.ofSeconds(seconds);
  }

  private static VirtualServerChecks vs(RealServerCheck... servers) {
    return VirtualServerChecks.of(VS, List.of(servers));
  }

  @Test
  void applyKeepsTheStateAndHistoryOfServersWhoseCheckIsUnchanged() {
    harness.probers.answer(rs(1), ProbeResult.down("HTTP 503"));
    harness.probers.answer(rs(2), ProbeResult.up());
    harness.apply(vs(server(1), server(2)));
    harness.advance(seconds(12)); // rs(1) down at 0 s, checked again at 10 s
    HealthSnapshot.RealServer before = harness.status(VS, rs(1));

    harness.apply(vs(server(1), server(2).withWeight(4), server(3)));
    harness.runDue();

    assertThat(harness.status(VS, rs(1))).isEqualTo(before);
    assertThat(harness.probers.startTimes(rs(1))).containsExactly(seconds(0), seconds(10));
    harness.advance(seconds(8));
    assertThat(harness.probers.startTimes(rs(1))).endsWith(seconds(20));
    assertThat(harness.probers.probersGiven()).hasSize(3);
  }

  @Test
  void weightChangeOfAnUnchangedServerOnlyChangesItsDestinationWeight() {
    harness.probers.answer(rs(1), ProbeResult.up());
    harness.apply(vs(server(1)));
    harness.runDue();
    harness.listener.clear();

    harness.apply(vs(server(1).withWeight(4)));

    assertThat(harness.listener.destinations())
        .singleElement()
        .satisfies(d -> assertThat(d.destinations()).isEqualTo(Map.of(rs(1), 4)));
    assertThat(harness.listener.events()).isEmpty();
    assertThat(harness.status(VS, rs(1)).checks()).isEqualTo(1);
  }

  @Test
  void applyRestartsServersWhoseCheckChanged() {
    harness.probers.hold(rs(1));
    harness.apply(vs(server(1)));
    harness.runDue();
    ScriptedProbers.Attempt oldAttempt = harness.probers.lastAttempt(rs(1));

    HttpGetCheck newCheck = HttpGetCheck.of("/ready");
    harness.apply(vs(server(1).withCheck(newCheck, TIMING)));
    harness.runDue();
    oldAttempt.complete(ProbeResult.down("HTTP 500"));
    harness.runDue();

    assertThat(harness.probers.probersGiven())
        .containsExactly(HttpGetCheck.of("/health"), newCheck);
    assertThat(harness.probers.lastAttempt(rs(1)).method()).isEqualTo(newCheck);
    assertThat(harness.status(VS, rs(1)).up()).isTrue();
    assertThat(harness.status(VS, rs(1)).checks()).isZero();
  }

  @Test
  void changedCheckOfADownServerBringsItUpUntilItFailsAsKeepalivedDoes() {
    harness.probers.answer(rs(1), ProbeResult.down("HTTP 503"));
    harness.apply(vs(server(1, NO_RETRY)));
    harness.runDue();
    harness.listener.clear();

    harness.apply(vs(server(1, NO_RETRY.withConnectTimeout(seconds(1)))));
    harness.runDue();

    assertThat(harness.listener.serverEvents())
        .containsExactly(
            new HealthEvent.RealServerUp(
                VS, rs(1), "check changed: up until it fails", at(Duration.ZERO)),
            new HealthEvent.RealServerDown(VS, rs(1), "HTTP 503", at(Duration.ZERO)));
  }

  @Test
  void removedServerIsReportedDownAndNeverCheckedAgain() {
    harness.probers.answer(rs(1), ProbeResult.up());
    harness.probers.answer(rs(2), ProbeResult.up());
    harness.apply(vs(server(1), server(2)));
    harness.advance(seconds(5));
    harness.listener.clear();

    harness.apply(vs(server(2)));
    harness.advance(seconds(60));

    assertThat(harness.listener.serverEvents())
        .containsExactly(
            new HealthEvent.RealServerDown(
                VS, rs(1), "removed from the configuration", at(seconds(5))));
    assertThat(harness.listener.lastDestinations(VS).destinations()).isEqualTo(Map.of(rs(2), 1));
    assertThat(harness.probers.startTimes(rs(1))).containsExactly(seconds(0));
  }

  @Test
  void lateResultOfARemovedServerIsIgnored() {
    harness.probers.hold(rs(1));
    harness.probers.answer(rs(2), ProbeResult.up());
    harness.apply(vs(server(1), server(2)));
    harness.runDue();
    ScriptedProbers.Attempt inFlight = harness.probers.lastAttempt(rs(1));
    harness.apply(vs(server(2)));
    harness.listener.clear();

    inFlight.complete(ProbeResult.down("HTTP 503"));
    harness.advance(seconds(30));

    assertThat(harness.listener.events()).isEmpty();
    assertThat(harness.listener.destinations()).isEmpty();
    assertThat(harness.checker.snapshot().virtualServer(VS).orElseThrow().realServers())
        .extracting(HealthSnapshot.RealServer::address)
        .containsExactly(rs(2));
  }

  @Test
  void invalidConfigurationIsRefusedWholeAndTheRunningSetIsUnchanged() {
    harness.probers.answer(rs(1), ProbeResult.up());
    harness.apply(vs(server(1)));
    harness.runDue();
    HealthSnapshot before = harness.checker.snapshot();
    harness.listener.clear();

    List<VirtualServerChecks> invalid =
        List.of(
            vs(server(1), server(2)),
            VirtualServerChecks.of(OTHER_VS, List.of(server(3).withWeight(70_000))));

    assertThatThrownBy(() -> harness.checker.apply(invalid))
        .isInstanceOfSatisfying(
            CheckConfigException.class,
            e ->
                assertThat(e.problems())
                    .extracting(CheckConfigProblem::field)
                    .containsExactly("virtualServers[1].realServers[0].weight"));
    assertThat(harness.checker.snapshot()).isEqualTo(before);
    assertThat(harness.listener.destinations()).isEmpty();
    harness.advance(seconds(10));
    assertThat(harness.probers.attemptCount(rs(1))).isEqualTo(2);
    assertThat(harness.probers.attemptCount(rs(2))).isZero();
  }

  @Test
  void destinationsAreReportedOncePerAffectedVirtualServer() {
    harness.probers.answer(rs(1), ProbeResult.up());
    harness.probers.answer(rs(2), ProbeResult.up());
    VirtualServerChecks other = VirtualServerChecks.of(OTHER_VS, List.of(server(2)));
    harness.apply(vs(server(1)), other);
    assertThat(harness.listener.destinations())
        .extracting(DesiredDestinations::virtualServer)
        .containsExactly(VS, OTHER_VS);
    harness.listener.clear();

    harness.apply(vs(server(1).withWeight(2)), other);
    harness.apply(vs(server(1).withWeight(2)), other);

    assertThat(harness.listener.destinations())
        .singleElement()
        .satisfies(d -> assertThat(d.virtualServer()).isEqualTo(VS));
  }

  @Test
  void removedVirtualServerReportsNoDestinationsAndLostQuorum() {
    harness.probers.answer(rs(1), ProbeResult.up());
    harness.apply(vs(server(1)));
    harness.advance(seconds(1));
    harness.listener.clear();

    harness.apply();

    assertThat(harness.listener.destinations())
        .containsExactly(new DesiredDestinations(VS, Map.of(), false, java.util.Optional.empty()));
    assertThat(harness.listener.events())
        .containsExactly(
            new HealthEvent.RealServerDown(
                VS, rs(1), "removed from the configuration", at(seconds(1))),
            new HealthEvent.QuorumLost(VS, 0, 1, 0, at(seconds(1))));
    assertThat(harness.checker.snapshot().virtualServers()).isEmpty();
    assertThat(harness.timer.scheduledTasks()).isZero();
  }

  @Test
  void closeWithOmegaReportsUpServersAndQuorumDown() {
    harness.probers.answer(rs(1), ProbeResult.up());
    harness.probers.answer(rs(2), ProbeResult.down("HTTP 503"));
    harness.apply(vs(server(1), server(2)).withOmega(true));
    harness.advance(seconds(1));
    harness.listener.clear();

    harness.checker.close();

    assertThat(harness.listener.events())
        .containsExactly(
            new HealthEvent.RealServerDown(VS, rs(1), "shutting down", at(seconds(1))),
            new HealthEvent.QuorumLost(VS, 0, 1, 0, at(seconds(1))));
    assertThat(harness.listener.destinations()).isEmpty();
  }

  @Test
  void closeWithoutOmegaIsSilentAndStopsEveryCheck() {
    harness.probers.answer(rs(1), ProbeResult.up());
    harness.apply(vs(server(1)));
    harness.advance(seconds(1));
    harness.listener.clear();

    harness.checker.close();
    harness.advance(seconds(60));

    assertThat(harness.listener.events()).isEmpty();
    assertThat(harness.listener.destinations()).isEmpty();
    assertThat(harness.probers.attemptCount(rs(1))).isEqualTo(1);
    assertThat(harness.timer.scheduledTasks()).isZero();
    assertThatThrownBy(() -> harness.checker.apply(List.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void snapshotShowsStateWeightReasonSinceAndLatency() {
    harness.probers.hold(rs(1));
    harness.apply(vs(server(1, NO_RETRY).withWeight(3)));
    harness.runDue();
    harness.advance(Duration.ofMillis(1_500));

    harness.probers.lastAttempt(rs(1)).complete(ProbeResult.down("HTTP 503"));
    harness.runDue();

    HealthSnapshot.VirtualServer vs = harness.checker.snapshot().virtualServer(VS).orElseThrow();
    assertThat(vs.quorumUp()).isFalse();
    assertThat(vs.healthyWeight()).isZero();
    assertThat(vs.realServer(rs(1)))
        .contains(
            new HealthSnapshot.RealServer(
                rs(1),
                false,
                3,
                "HTTP 503",
                at(Duration.ofMillis(1_500)),
                java.util.Optional.of(Duration.ofMillis(1_500)),
                1));
  }

  @Test
  void failingListenerDoesNotStopTheChecks() {
    FakeCheckTimer timer = new FakeCheckTimer();
    ScriptedProbers probers = new ScriptedProbers(timer);
    HealthListener failing =
        new HealthListener() {
          @Override
          public void onDestinations(DesiredDestinations destinations) {
            throw new IllegalStateException("listener broke on destinations");
          }

          @Override
          public void onEvent(HealthEvent event) {
            throw new IllegalStateException("listener broke on an event");
          }
        };
    HealthChecker checker =
        new HealthChecker(
            timer, probers, () -> CheckHarness.EPOCH, new java.util.Random(1), failing);
    probers.answer(rs(1), ProbeResult.down("HTTP 503"), ProbeResult.up());

    try {
      checker.apply(List.of(vs(server(1))));
    } catch (CheckConfigException e) {
      throw new AssertionError(e);
    }
    timer.advance(seconds(25));

    assertThat(probers.attemptCount(rs(1))).isEqualTo(3);
    assertThat(checker.snapshot().virtualServer(VS).orElseThrow().realServers().get(0).up())
        .isTrue();
  }
}
