package io.kubelvs.agent.check;

import static io.kubelvs.agent.check.CheckHarness.DEADLINE;
import static io.kubelvs.agent.check.CheckHarness.TIMING;
import static io.kubelvs.agent.check.CheckHarness.VS;
import static io.kubelvs.agent.check.CheckHarness.at;
import static io.kubelvs.agent.check.CheckHarness.rs;
import static io.kubelvs.agent.check.CheckHarness.server;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The per-real-server state machine and its schedule, as keepalived's checkers run it (check_tcp.c
 * tcp_epilog, check_http.c epilog): retries, delays, alpha, deadlines, dynamic weight, events.
 * {@link CheckHarness#TIMING}: delay_loop 10 s, retry 2, delay_before_retry 3 s, no warmup.
 */
class RealServerHealthTest {
  private final CheckHarness harness = new CheckHarness();

  private static Duration seconds(long seconds) {
    return Duration.ofSeconds(seconds);
  }

  private void startOneServer(CheckTiming timing) {
    harness.apply(VirtualServerChecks.of(VS, List.of(server(1, timing))));
  }

  @Test
  void upServerGoesDownAfterExactlyRetriesPlusOneFailuresSpacedByTheRetryDelay() {
    harness.probers.answer(rs(1), ProbeResult.up("HTTP 200"));
    startOneServer(TIMING);
    harness.advance(seconds(1));
    harness.probers.answer(rs(1), ProbeResult.down("HTTP 503"));

    harness.advance(seconds(9)); // t=10 s: failure 1
    harness.advance(Duration.ofMillis(2_999));
    assertThat(harness.probers.attemptCount(rs(1))).isEqualTo(2);
    harness.advance(Duration.ofMillis(1)); // t=13 s: failure 2
    harness.advance(seconds(3)); // t=16 s: failure 3 = retry + 1

    assertThat(harness.probers.startTimes(rs(1)))
        .containsExactly(seconds(0), seconds(10), seconds(13), seconds(16));
    assertThat(harness.listener.serverEvents())
        .containsExactly(new HealthEvent.RealServerDown(VS, rs(1), "HTTP 503", at(seconds(16))));
    assertThat(harness.listener.lastDestinations(VS).destinations()).isEmpty();
  }

  @Test
  void serverStaysUpWhileItStillHasRetries() {
    harness.probers.answer(rs(1), ProbeResult.up());
    startOneServer(TIMING);
    harness.advance(seconds(1));
    harness.probers.answer(rs(1), ProbeResult.down("HTTP 503"));

    harness.advance(seconds(14)); // t=15 s: failures at 10 s and 13 s

    assertThat(harness.probers.attemptCount(rs(1))).isEqualTo(3);
    assertThat(harness.status(VS, rs(1)).up()).isTrue();
    assertThat(harness.status(VS, rs(1)).lastReason()).isEqualTo("HTTP 503");
    assertThat(harness.listener.serverEvents()).isEmpty();
  }

  @Test
  void successBetweenFailuresResetsTheRetryCount() {
    harness.probers.answer(
        rs(1),
        ProbeResult.up(),
        ProbeResult.down("HTTP 503"),
        ProbeResult.down("HTTP 503"),
        ProbeResult.up(),
        ProbeResult.down("HTTP 503"),
        ProbeResult.down("HTTP 503"),
        ProbeResult.down("HTTP 500"));
    startOneServer(TIMING);

    // 0 s ok, 10 s fail, 13 s fail, 16 s ok, 26 s fail, 29 s fail: never 3 in a row
    harness.advance(seconds(30));
    assertThat(harness.status(VS, rs(1)).up()).isTrue();
    assertThat(harness.listener.serverEvents()).isEmpty();

    harness.advance(seconds(2)); // 32 s: the third failure in a row
    assertThat(harness.listener.serverEvents())
        .containsExactly(new HealthEvent.RealServerDown(VS, rs(1), "HTTP 500", at(seconds(32))));
  }

  @Test
  void downServerComesBackUpAfterOneSuccess() {
    harness.probers.answer(
        rs(1), ProbeResult.down("connection refused"), ProbeResult.up("HTTP 200"));
    startOneServer(TIMING);
    harness.runDue();
    assertThat(harness.status(VS, rs(1)).up()).isFalse();

    harness.advance(seconds(10));

    assertThat(harness.listener.serverEvents())
        .containsExactly(
            new HealthEvent.RealServerDown(VS, rs(1), "connection refused", at(seconds(0))),
            new HealthEvent.RealServerUp(VS, rs(1), "HTTP 200", at(seconds(10))));
    assertThat(harness.listener.lastDestinations(VS).destinations()).isEqualTo(Map.of(rs(1), 1));
  }

  @Test
  void firstFailureAtStartupIsEnoughToGoDown() {
    harness.probers.answer(rs(1), ProbeResult.down("connection refused"));
    startOneServer(TIMING);

    harness.runDue();

    assertThat(harness.probers.attemptCount(rs(1))).isEqualTo(1);
    assertThat(harness.listener.serverEvents())
        .containsExactly(
            new HealthEvent.RealServerDown(VS, rs(1), "connection refused", at(seconds(0))));
  }

  @Test
  void serverKnownDownIsNotRetriedButCheckedAgainAfterTheInterval() {
    harness.probers.answer(rs(1), ProbeResult.down("connection refused"));
    startOneServer(TIMING);

    harness.advance(seconds(35));

    assertThat(harness.probers.startTimes(rs(1)))
        .containsExactly(seconds(0), seconds(10), seconds(20), seconds(30));
    assertThat(harness.listener.serverEvents()).hasSize(1);
  }

  @Test
  void serverAddedByALaterConfigurationNeedsAllItsRetriesToGoDown() {
    harness.probers.answer(rs(1), ProbeResult.up());
    harness.probers.answer(rs(2), ProbeResult.down("connection refused"));
    startOneServer(TIMING);
    harness.advance(seconds(1));

    harness.apply(VirtualServerChecks.of(VS, List.of(server(1), server(2))));
    harness.advance(seconds(5)); // rs(2): failures at 1 s and 4 s
    assertThat(harness.status(VS, rs(2)).up()).isTrue();
    harness.advance(seconds(1)); // 7 s: third failure

    assertThat(harness.probers.startTimes(rs(2)))
        .containsExactly(seconds(1), seconds(4), seconds(7));
    assertThat(harness.listener.serverEvents())
        .containsExactly(
            new HealthEvent.RealServerDown(VS, rs(2), "connection refused", at(seconds(7))));
  }

  @Test
  void alphaServerStartsDownAndNeedsOneSuccessToComeUp() {
    harness.probers.hold(rs(1));
    startOneServer(TIMING.withAlpha(true));
    harness.runDue();
    assertThat(harness.status(VS, rs(1)).up()).isFalse();
    assertThat(harness.listener.lastDestinations(VS).destinations()).isEmpty();

    harness.probers.lastAttempt(rs(1)).complete(ProbeResult.up("HTTP 200"));
    harness.runDue();

    assertThat(harness.status(VS, rs(1)).up()).isTrue();
    assertThat(harness.listener.serverEvents())
        .containsExactly(new HealthEvent.RealServerUp(VS, rs(1), "HTTP 200", at(seconds(0))));
    assertThat(harness.listener.lastDestinations(VS).destinations()).isEqualTo(Map.of(rs(1), 1));
  }

  @Test
  void alphaServerWhoseFirstCheckFailsIsReportedDownOnce() {
    harness.probers.answer(rs(1), ProbeResult.down("HTTP 404"));
    startOneServer(TIMING.withAlpha(true));

    harness.advance(seconds(25));

    assertThat(harness.listener.serverEvents())
        .containsExactly(new HealthEvent.RealServerDown(VS, rs(1), "HTTP 404", at(seconds(0))));
  }

  @Test
  void checkThatNeverCompletesFailsAtItsDeadlineAndTheNextCheckStillHappens() {
    harness.probers.hold(rs(1));
    startOneServer(TIMING);
    harness.runDue();

    harness.advance(DEADLINE.minusMillis(1));
    assertThat(harness.status(VS, rs(1)).up()).isTrue();
    harness.advance(Duration.ofMillis(1));

    assertThat(harness.listener.serverEvents())
        .containsExactly(
            new HealthEvent.RealServerDown(VS, rs(1), "no answer within 5s", at(DEADLINE)));
    assertThat(harness.status(VS, rs(1)).lastLatency()).contains(DEADLINE);
    harness.advance(TIMING.interval());
    // The next check keeps the server's phase: one interval after the last one started.
    assertThat(harness.probers.startTimes(rs(1))).containsExactly(seconds(0), TIMING.interval());
  }

  @Test
  void aSlowAnswerDoesNotShiftTheServersPhase() {
    harness.probers.hold(rs(1));
    startOneServer(TIMING);
    harness.runDue();
    harness.advance(Duration.ofMillis(1500));
    harness.probers.answer(rs(1), ProbeResult.up("HTTP 200"));
    harness.probers.lastAttempt(rs(1)).complete(ProbeResult.up("HTTP 200"));
    harness.runDue();

    harness.advance(TIMING.interval().multipliedBy(2));

    assertThat(harness.probers.startTimes(rs(1)))
        .startsWith(seconds(0), TIMING.interval(), TIMING.interval().multipliedBy(2));
  }

  @Test
  void aLateEventLoopDoesNotPushTheServersPhaseBack() {
    harness.probers.answer(rs(1), ProbeResult.up("HTTP 200"));
    harness.timer.lag(Duration.ofMillis(100));
    startOneServer(TIMING);

    harness.advance(TIMING.interval().multipliedBy(3));

    // Each check starts 100 ms late, and the lateness does not add up from one to the next.
    Duration late = Duration.ofMillis(100);
    assertThat(harness.probers.startTimes(rs(1)))
        .containsExactly(
            late, TIMING.interval().plus(late), TIMING.interval().multipliedBy(2).plus(late));
  }

  @Test
  void anAttemptLongerThanTheIntervalSkipsTheSlotsItMissedAndKeepsThePhase() {
    CheckTiming everyThreeSeconds =
        new CheckTiming(
            seconds(3), TIMING.connectTimeout(), 0, TIMING.retryDelay(), TIMING.warmup(), false);
    harness.probers.hold(rs(1));
    startOneServer(everyThreeSeconds);
    harness.runDue();
    harness.probers.lastAttempt(rs(1)).complete(ProbeResult.up("HTTP 200"));
    harness.runDue();
    harness.probers.hold(rs(1));

    // The second attempt (due at 3 s) hangs until its deadline at 8 s: the slot at 6 s is
    // skipped, and the third comes at 9 s, not at once at 8 s.
    harness.advance(seconds(9));

    assertThat(harness.probers.startTimes(rs(1)))
        .containsExactly(seconds(0), seconds(3), seconds(9));
  }

  @Test
  void lateResultOfAnAttemptPastItsDeadlineIsIgnored() {
    harness.probers.hold(rs(1));
    startOneServer(TIMING);
    harness.runDue();
    ScriptedProbers.Attempt abandoned = harness.probers.lastAttempt(rs(1));
    harness.advance(DEADLINE);

    abandoned.complete(ProbeResult.up("HTTP 200"));
    harness.runDue();

    assertThat(harness.status(VS, rs(1)).up()).isFalse();
    assertThat(harness.status(VS, rs(1)).checks()).isEqualTo(1);
    assertThat(harness.listener.serverEvents()).hasSize(1);
  }

  @Test
  void slowCheckOfOneServerDoesNotDelayTheOthers() {
    harness.probers.hold(rs(1));
    harness.probers.answer(rs(2), ProbeResult.up());
    harness.apply(VirtualServerChecks.of(VS, List.of(server(1), server(2))));

    harness.advance(seconds(35));

    assertThat(harness.probers.startTimes(rs(2)))
        .containsExactly(seconds(0), seconds(10), seconds(20), seconds(30));
    assertThat(harness.status(VS, rs(2)).up()).isTrue();
    assertThat(harness.probers.attempts(rs(1))).allMatch(a -> !a.future().isDone());
  }

  @Test
  void dynamicWeightFromTheCheckSetsTheDestinationWeightUntilTheCheckChangesIt() {
    harness.probers.answer(rs(1), ProbeResult.upWithWeight(7, "exit 9"));
    startOneServer(TIMING);
    harness.runDue();
    assertThat(harness.listener.lastDestinations(VS).destinations()).isEqualTo(Map.of(rs(1), 7));

    harness.probers.answer(rs(1), ProbeResult.upWithWeight(3, "exit 5"));
    harness.advance(seconds(10));
    assertThat(harness.listener.lastDestinations(VS).destinations()).isEqualTo(Map.of(rs(1), 3));

    // misc_dynamic: "exit status 0: svc check success, weight unchanged"
    harness.listener.clear();
    harness.probers.answer(rs(1), ProbeResult.up("exit 0"));
    harness.advance(seconds(10));
    assertThat(harness.listener.destinations()).isEmpty();
    assertThat(harness.status(VS, rs(1)).weight()).isEqualTo(3);
  }

  @Test
  void eventsComeOnlyOnChangeAndCarryTheReasonOfTheCheck() {
    harness.probers.answer(rs(1), ProbeResult.up("HTTP 200"));
    startOneServer(TIMING.withRetries(0, seconds(1)));
    harness.advance(seconds(25)); // ok at 0, 10, 20 s
    assertThat(harness.listener.events()).hasSize(1); // quorum gained at start
    assertThat(harness.listener.serverEvents()).isEmpty();

    harness.probers.answer(rs(1), ProbeResult.down("connect timeout 2s"));
    harness.advance(seconds(30)); // failures at 30, 40, 50 s
    harness.probers.answer(rs(1), ProbeResult.up("HTTP 204"));
    harness.advance(seconds(30)); // ok at 60, 70, 80 s

    assertThat(harness.listener.serverEvents())
        .containsExactly(
            new HealthEvent.RealServerDown(VS, rs(1), "connect timeout 2s", at(seconds(30))),
            new HealthEvent.RealServerUp(VS, rs(1), "HTTP 204", at(seconds(60))));
    assertThat(harness.listener.quorumEvents()).hasSize(3); // gained, lost at 30 s, gained at 60 s
  }

  @Test
  void serverWithoutACheckIsAlwaysUpAndNeverProbed() {
    harness.apply(VirtualServerChecks.of(VS, List.of(RealServerCheck.unchecked(rs(1), 5))));

    harness.advance(seconds(600));

    assertThat(harness.probers.probersGiven()).isEmpty();
    assertThat(harness.status(VS, rs(1)).up()).isTrue();
    assertThat(harness.listener.lastDestinations(VS).destinations()).isEqualTo(Map.of(rs(1), 5));
    assertThat(harness.timer.scheduledTasks()).isZero();
  }
}
