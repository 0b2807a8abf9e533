package io.kubelvs.agent.vrrp;

import static io.kubelvs.agent.vrrp.TrackedCondition.Result.FAILURE;
import static io.kubelvs.agent.vrrp.TrackedCondition.Result.SUCCESS;
import static io.kubelvs.agent.vrrp.TrackedCondition.Result.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubelvs.agent.vrrp.TrackedCondition.Result;
import io.kubelvs.agent.vrrp.TrackedCondition.Settings;
import io.kubelvs.agent.vrrp.TrackedCondition.Status;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** keepalived's vrrp_script semantics: rise, fall, weights, timeout, init_fail. */
class TrackedConditionTest {

  private static TrackedCondition condition(int rise, int fall, int weight) {
    Duration second = Duration.ofSeconds(1);
    return new TrackedCondition(
        new Settings("chk_nginx", second, Duration.ofMillis(500), rise, fall, weight, false));
  }

  private static TrackedCondition feed(TrackedCondition c, Result... results) {
    for (Result r : results) {
      c.record(r);
    }
    return c;
  }

  @Test
  void firstResultDecidesFromInit() {
    assertThat(condition(3, 3, 0).status()).isEqualTo(Status.INIT);
    assertThat(feed(condition(3, 3, 0), SUCCESS).status()).isEqualTo(Status.UP);
    assertThat(feed(condition(3, 3, 0), FAILURE).status()).isEqualTo(Status.DOWN);
  }

  @Test
  void initFailStartsDownAndNeedsRiseSuccesses() {
    TrackedCondition c =
        new TrackedCondition(
            new Settings(
                "chk", Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 2, 0, /* initFail */ true));

    assertThat(c.status()).isEqualTo(Status.DOWN);
    assertThat(c.record(SUCCESS)).isFalse();
    assertThat(c.record(SUCCESS)).isTrue();
    assertThat(c.status()).isEqualTo(Status.UP);
  }

  @Test
  void fallConsecutiveFailuresTakeItDown() {
    TrackedCondition c = feed(condition(2, 3, 0), SUCCESS);

    feed(c, FAILURE, FAILURE, SUCCESS, FAILURE, FAILURE);
    assertThat(c.status()).as("a success in between starts the count again").isEqualTo(Status.UP);
    assertThat(c.record(FAILURE)).isTrue();
    assertThat(c.status()).isEqualTo(Status.DOWN);
  }

  @Test
  void riseConsecutiveSuccessesBringItUp() {
    TrackedCondition c = feed(condition(3, 1, 0), FAILURE);

    feed(c, SUCCESS, SUCCESS, FAILURE, SUCCESS, SUCCESS);
    assertThat(c.status()).isEqualTo(Status.DOWN);
    assertThat(c.record(SUCCESS)).isTrue();
    assertThat(c.status()).isEqualTo(Status.UP);
  }

  @Test
  void aRunOverTheTimeoutIsAFailureWhateverItReturned() {
    TrackedCondition c = condition(1, 1, 0);

    assertThat(c.classify(true, Duration.ofMillis(500))).isEqualTo(SUCCESS);
    assertThat(c.classify(true, Duration.ofMillis(501))).isEqualTo(TIMEOUT);
    assertThat(c.classify(false, Duration.ofMillis(10))).isEqualTo(FAILURE);
    assertThat(feed(c, SUCCESS, TIMEOUT).status()).isEqualTo(Status.DOWN);
  }

  @Test
  void runsEveryInterval() {
    assertThat(condition(1, 1, 0).nextRunAt(5_000_000_000L)).isEqualTo(6_000_000_000L);
  }

  @Test
  void positiveWeightIsAddedWhileUp() {
    TrackedCondition c = feed(condition(1, 1, 20), SUCCESS);

    assertThat(TrackedCondition.verdict(100, List.of(c)).effectivePriority()).isEqualTo(120);
    c.record(FAILURE);
    assertThat(TrackedCondition.verdict(100, List.of(c)).effectivePriority()).isEqualTo(100);
  }

  @Test
  void negativeWeightIsAddedWhileDown() {
    TrackedCondition c = feed(condition(1, 1, -30), SUCCESS);

    assertThat(TrackedCondition.verdict(100, List.of(c)).effectivePriority()).isEqualTo(100);
    c.record(FAILURE);
    assertThat(TrackedCondition.verdict(100, List.of(c)).effectivePriority()).isEqualTo(70);
  }

  @Test
  void weightZeroDownIsAFault() {
    TrackedCondition nginx = feed(condition(1, 1, 0), FAILURE);
    TrackedCondition other = feed(condition(1, 1, 10), SUCCESS);

    TrackedCondition.Verdict verdict = TrackedCondition.verdict(100, List.of(nginx, other));

    assertThat(verdict.fault()).contains("tracked chk_nginx down");
    assertThat(verdict.effectivePriority()).isEqualTo(110);
  }

  @Test
  void initContributesNothingAndFaultsNothing() {
    TrackedCondition.Verdict verdict =
        TrackedCondition.verdict(
            100, List.of(condition(1, 1, 0), condition(1, 1, 50), condition(1, 1, -50)));

    assertThat(verdict).isEqualTo(new TrackedCondition.Verdict(100, Optional.empty()));
  }

  @Test
  void effectivePriorityIsClampedTo1Through254() {
    TrackedCondition up = feed(condition(1, 1, 200), SUCCESS);
    TrackedCondition down = feed(condition(1, 1, -200), FAILURE);

    assertThat(TrackedCondition.verdict(100, List.of(up)).effectivePriority()).isEqualTo(254);
    assertThat(TrackedCondition.verdict(100, List.of(down)).effectivePriority()).isEqualTo(1);
  }

  @Test
  void addressOwnerKeeps255() {
    TrackedCondition down = feed(condition(1, 1, -50), FAILURE);

    assertThat(TrackedCondition.verdict(255, List.of(down)).effectivePriority()).isEqualTo(255);
  }

  @Test
  void defaultsAreKeepalivedsWithTheTimeoutOfAnInterval() {
    Duration second = Duration.ofSeconds(1);
    assertThat(Settings.of("chk", -20))
        .isEqualTo(new Settings("chk", second, second, 1, 1, -20, false));
  }

  @Test
  void settingsAreValidated() {
    Duration s = Duration.ofSeconds(1);
    assertThatThrownBy(() -> new Settings("chk", s, s, 0, 1, 0, false))
        .hasMessageContaining("rise and fall");
    assertThatThrownBy(() -> new Settings("chk", s, s, 1, 1, 255, false))
        .hasMessageContaining("weight 255");
    assertThatThrownBy(() -> new Settings("chk", Duration.ZERO, s, 1, 1, 0, false))
        .hasMessageContaining("interval and timeout");
  }

  @Test
  void aFailingWeightedConditionLetsTheBackupPreempt() {
    TrackedCondition nginx = feed(condition(1, 2, -60), SUCCESS);
    VrrpStateMachineDriver vrrp =
        new VrrpStateMachineDriver(VrrpStateMachineDriver.config().priority(150).build());
    vrrp.start();
    vrrp.advance(MasterDownInterval.of(3, 150, Duration.ofSeconds(1)));

    feed(nginx, FAILURE, FAILURE);
    vrrp.record(vrrp.machine.onTracking(TrackedCondition.verdict(150, List.of(nginx))));

    assertThat(vrrp.machine.priority()).isEqualTo(90);
    vrrp.receive(vrrp.advert(100));
    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.BACKUP);
  }
}
