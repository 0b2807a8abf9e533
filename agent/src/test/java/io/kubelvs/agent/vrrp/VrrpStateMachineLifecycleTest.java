package io.kubelvs.agent.vrrp;

import static io.kubelvs.agent.vrrp.VrrpStateMachineDriver.PEER;
import static io.kubelvs.agent.vrrp.VrrpStateMachineDriver.VIP;
import static io.kubelvs.agent.vrrp.VrrpStateMachineDriver.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubelvs.agent.vrrp.VrrpAction.AddVips;
import io.kubelvs.agent.vrrp.VrrpAction.CancelTimer;
import io.kubelvs.agent.vrrp.VrrpAction.Publish;
import io.kubelvs.agent.vrrp.VrrpAction.RemoveVips;
import io.kubelvs.agent.vrrp.VrrpAction.SendAdvertisement;
import io.kubelvs.agent.vrrp.VrrpAction.SendGratuitous;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Faults, shutdown and the planned handover. */
class VrrpStateMachineLifecycleTest {

  static final Duration SECOND = Duration.ofSeconds(1);
  static final Duration MASTER_DOWN_100 = MasterDownInterval.of(3, 100, SECOND);

  private static VrrpStateMachineDriver master(VrrpInstanceConfig config) {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config);
    vrrp.start();
    vrrp.advance(MASTER_DOWN_100);
    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.MASTER);
    return vrrp;
  }

  private static VrrpStateMachineDriver master() {
    return master(config().build());
  }

  @Test
  void linkDownMeansFaultAndVipsRemoved() {
    VrrpStateMachineDriver vrrp = master();

    List<VrrpAction> actions = vrrp.record(vrrp.machine.onLinkChange(false));

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.FAULT);
    assertThat(vrrp.lastChange().reason()).isEqualTo("link down");
    assertThat(actions.subList(1, actions.size()))
        .containsExactly(new RemoveVips(List.of(VIP)), new CancelTimer());
    assertThat(vrrp.advance(Duration.ofSeconds(60))).isEmpty();
  }

  @Test
  void faultIgnoresAdverts() {
    VrrpStateMachineDriver vrrp = master();
    vrrp.record(vrrp.machine.onLinkChange(false));

    assertThat(vrrp.receive(vrrp.advert(0))).isEmpty();
    assertThat(vrrp.machine.count(VrrpCounter.ADVERTS_RECEIVED)).isZero();
  }

  @Test
  void linkUpTakesTheBackupPathAgain() {
    VrrpStateMachineDriver vrrp = master();
    vrrp.record(vrrp.machine.onLinkChange(false));
    vrrp.advance(SECOND);

    vrrp.record(vrrp.machine.onLinkChange(true));
    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.BACKUP);
    assertThat(vrrp.lastChange().reason()).isEqualTo("link up");
    vrrp.advance(MASTER_DOWN_100);

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.MASTER);
  }

  @Test
  void linkDownBeforeStartStartsInFault() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().build());
    vrrp.record(vrrp.machine.onLinkChange(false));

    vrrp.start();

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.FAULT);
    assertThat(vrrp.deadline()).isNull();
  }

  @Test
  void trackedFaultMakesAMasterAnnouncePriorityZeroBeforeLeaving() {
    VrrpStateMachineDriver vrrp = master();

    List<VrrpAction> actions =
        vrrp.record(
            vrrp.machine.onTracking(
                new TrackedCondition.Verdict(100, Optional.of("tracked chk_nginx down"))));

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.FAULT);
    assertThat(vrrp.lastChange().reason()).isEqualTo("tracked chk_nginx down");
    assertThat(actions)
        .containsSubsequence(new SendAdvertisement(0, SECOND), new RemoveVips(List.of(VIP)));
  }

  @Test
  void faultLastsUntilEveryCauseIsGone() {
    VrrpStateMachineDriver vrrp = master();
    vrrp.record(vrrp.machine.onLinkChange(false));
    vrrp.record(
        vrrp.machine.onTracking(new TrackedCondition.Verdict(100, Optional.of("tracked x down"))));

    vrrp.record(vrrp.machine.onLinkChange(true));
    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.FAULT);

    vrrp.record(vrrp.machine.onTracking(new TrackedCondition.Verdict(100, Optional.empty())));
    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.BACKUP);
    assertThat(vrrp.lastChange().reason()).isEqualTo("tracked conditions up");
  }

  @Test
  void shutdownSendsOnePriorityZeroAdvertThenRemovesVips() {
    VrrpStateMachineDriver vrrp = master();

    List<VrrpAction> actions = vrrp.record(vrrp.machine.shutdown());

    assertThat(actions)
        .containsExactly(
            new Publish(vrrp.lastChange()),
            new SendAdvertisement(0, SECOND),
            new RemoveVips(List.of(VIP)),
            new CancelTimer());
    assertThat(vrrp.lastChange().to()).isEqualTo(VrrpRole.STOPPED);
    assertThat(vrrp.lastChange().reason()).isEqualTo("shutdown");
    assertThat(vrrp.machine.count(VrrpCounter.PRIORITY_ZERO_SENT)).isEqualTo(1);
  }

  @Test
  void everyAdvertSentIsCountedWithThePriorityZeroOne() {
    VrrpStateMachineDriver vrrp = master();
    long sentAsMaster = vrrp.machine.count(VrrpCounter.ADVERTS_SENT);
    List<VrrpAction> more = vrrp.advance(Duration.ofMillis(3500));

    vrrp.record(vrrp.machine.shutdown());

    long advertsInThreeSeconds = more.stream().filter(a -> a instanceof SendAdvertisement).count();
    assertThat(sentAsMaster).isEqualTo(1);
    assertThat(advertsInThreeSeconds).isEqualTo(3);
    assertThat(vrrp.machine.count(VrrpCounter.ADVERTS_SENT)).isEqualTo(1 + 3 + 1);
  }

  @Test
  void shutdownOfABackupSendsNothing() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().build());
    vrrp.start();

    List<VrrpAction> actions = vrrp.record(vrrp.machine.shutdown());

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.STOPPED);
    assertThat(actions).containsExactly(new Publish(vrrp.lastChange()), new CancelTimer());
  }

  @Test
  void stoppedIgnoresEveryEvent() {
    VrrpStateMachineDriver vrrp = master();
    vrrp.record(vrrp.machine.shutdown());

    assertThat(vrrp.receive(vrrp.advert(0))).isEmpty();
    assertThat(vrrp.record(vrrp.machine.onLinkChange(false))).isEmpty();
    assertThat(vrrp.record(vrrp.machine.onLinkChange(true))).isEmpty();
    assertThat(vrrp.record(vrrp.machine.shutdown())).isEmpty();
    assertThat(vrrp.record(vrrp.machine.handOver())).isEmpty();
    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.STOPPED);
  }

  @Test
  void startingTwiceIsAProgrammingError() {
    VrrpStateMachineDriver vrrp = master();

    assertThatThrownBy(vrrp::start).hasMessage("VRRP instance VI_1 is already MASTER");
  }

  @Test
  void adoptedVipsOfACrashedRunAreRemovedWhenTheStartIsAsBackup() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().build());
    vrrp.machine.adoptVips();

    List<VrrpAction> start = vrrp.record(vrrp.machine.start());

    assertThat(start).contains(new RemoveVips(List.of(VIP)));
    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.BACKUP);
  }

  @Test
  void anInstanceResumedAfterAReconfigurationStartsAsMasterAtOnce() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().build());
    vrrp.machine.adoptVips();
    vrrp.machine.resumeAsMaster();

    List<VrrpAction> start = vrrp.record(vrrp.machine.start());

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.MASTER);
    assertThat(vrrp.advertPriorities(start)).containsExactly(100);
    assertThat(start)
        .contains(new AddVips(List.of(VIP)), new SendGratuitous(5))
        .doesNotContain(new RemoveVips(List.of(VIP)));
    assertThat(vrrp.lastChange().reason()).contains("resumed as master");
    assertThat(vrrp.lastChange().from()).isEqualTo(VrrpRole.MASTER);
    assertThat(vrrp.lastChange().resumed()).isTrue();
    assertThat(vrrp.machine.count(VrrpCounter.BECAME_MASTER)).isZero();
  }

  @Test
  void aFaultWinsOverResumingAsMaster() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().build());
    vrrp.machine.adoptVips();
    vrrp.machine.resumeAsMaster();
    vrrp.record(vrrp.machine.onLinkChange(false));

    List<VrrpAction> start = vrrp.record(vrrp.machine.start());

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.FAULT);
    assertThat(start).contains(new RemoveVips(List.of(VIP)));
  }

  @Test
  void resumingAfterTheStartIsAProgrammingError() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().build());
    vrrp.start();

    assertThatThrownBy(vrrp.machine::resumeAsMaster).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void adoptingAfterTheStartIsAProgrammingError() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().build());
    vrrp.start();

    assertThatThrownBy(vrrp.machine::adoptVips).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void handOverKeepsVipsUntilNewMasterIsHeard() {
    VrrpStateMachineDriver vrrp = master();

    List<VrrpAction> handOver = vrrp.record(vrrp.machine.handOver());
    assertThat(vrrp.advertPriorities(handOver)).containsExactly(0);
    assertThat(handOver).doesNotHaveAnyElementsOfTypes(RemoveVips.class, Publish.class);
    assertThat(vrrp.machine.handingOver()).isTrue();

    List<VrrpAction> waiting = vrrp.advance(Duration.ofMillis(700));
    assertThat(waiting).doesNotHaveAnyElementsOfTypes(RemoveVips.class, SendGratuitous.class);
    assertThat(vrrp.receive(vrrp.advert(0, VrrpStateMachineDriver.ip("198.18.0.12")))).isEmpty();

    List<VrrpAction> heard = vrrp.receive(vrrp.advert(90, PEER));
    assertThat(heard).doesNotHaveAnyElementsOfTypes(RemoveVips.class);

    // One of the new master's intervals (1 s here) for its gratuitous ARPs to land.
    assertThat(vrrp.advance(Duration.ofMillis(999))).isEmpty();
    assertThat(vrrp.advance(Duration.ofMillis(1))).contains(new RemoveVips(List.of(VIP)));
    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.STOPPED);
    assertThat(vrrp.lastChange().reason())
        .isEqualTo("handover: new master 198.18.0.11 (priority 90) heard");
  }

  @Test
  void handOverRepeatsPriorityZeroEveryIntervalWhileWaiting() {
    VrrpStateMachineDriver vrrp = master();
    vrrp.record(vrrp.machine.handOver());

    List<VrrpAction> twoSeconds = vrrp.advance(Duration.ofSeconds(2));

    assertThat(vrrp.advertPriorities(twoSeconds)).containsExactly(0, 0);
  }

  @Test
  void handOverGivesUpAfterTheBoundedWait() {
    VrrpStateMachineDriver vrrp = master();
    vrrp.record(vrrp.machine.handOver());
    // default: 3 × 1 s + (256 − 254) / 256 × 1 s
    Duration bound = Duration.ofNanos(3_007_812_500L);

    assertThat(vrrp.advance(bound.minusNanos(1))).doesNotHaveAnyElementsOfTypes(RemoveVips.class);
    List<VrrpAction> end = vrrp.advance(Duration.ofNanos(1));

    assertThat(end).contains(new RemoveVips(List.of(VIP)));
    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.STOPPED);
    assertThat(vrrp.lastChange().reason()).isEqualTo("handover: no new master heard within 3.008s");
    assertThat(vrrp.deadline()).isNull();
  }

  @Test
  void handOverWaitIsConfigurable() {
    VrrpStateMachineDriver vrrp = master(config().handOverWait(Duration.ofMillis(500)).build());
    vrrp.record(vrrp.machine.handOver());

    vrrp.advance(Duration.ofMillis(500));

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.STOPPED);
  }

  @Test
  void shutdownDuringHandOverReleasesAtOnceWithoutAnotherAdvert() {
    VrrpStateMachineDriver vrrp = master();
    vrrp.record(vrrp.machine.handOver());

    List<VrrpAction> actions = vrrp.record(vrrp.machine.shutdown());

    assertThat(vrrp.advertPriorities(actions)).isEmpty();
    assertThat(actions).contains(new RemoveVips(List.of(VIP)));
    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.STOPPED);
  }

  @Test
  void handOverOfABackupJustStops() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().build());
    vrrp.start();

    List<VrrpAction> actions = vrrp.record(vrrp.machine.handOver());

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.STOPPED);
    assertThat(vrrp.advertPriorities(actions)).isEmpty();
    assertThat(actions).doesNotHaveAnyElementsOfTypes(RemoveVips.class);
  }
}
