package io.kubelvs.agent.vrrp;

import static io.kubelvs.agent.vrrp.VrrpStateMachineDriver.PEER;
import static io.kubelvs.agent.vrrp.VrrpStateMachineDriver.VIP;
import static io.kubelvs.agent.vrrp.VrrpStateMachineDriver.config;
import static io.kubelvs.agent.vrrp.VrrpStateMachineDriver.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.vrrp.VrrpAction.AddVips;
import io.kubelvs.agent.vrrp.VrrpAction.Publish;
import io.kubelvs.agent.vrrp.VrrpAction.ScheduleAt;
import io.kubelvs.agent.vrrp.VrrpAction.SendAdvertisement;
import io.kubelvs.agent.vrrp.VrrpAction.SendGratuitous;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Start and the backup's side of RFC 5798 §6.4.2, as keepalived behaves. */
class VrrpStateMachineBackupTest {

  static final Duration SECOND = Duration.ofSeconds(1);

  /** 3 × 1 s + (256 − 100) / 256 s */
  static final Duration MASTER_DOWN_100 = Duration.ofNanos(3_609_375_000L);

  @Test
  void startsInBackupLikeKeepalivedAndSendsNothing() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().build());

    List<VrrpAction> actions = vrrp.start();

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.BACKUP);
    assertThat(actions)
        .containsExactly(
            new Publish(new StateChange("VI_1", VrrpRole.INIT, VrrpRole.BACKUP, "start", 0)),
            new ScheduleAt(MASTER_DOWN_100.toNanos()));
  }

  /** 1 s + 1/256 s: one advert interval and the smallest skew. */
  static final Duration START_LISTENING = Duration.ofNanos(1_003_906_250L);

  @Test
  void aStateMasterInstanceListensOneIntervalAndTheSmallestSkewAtStart() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().stateMaster(true).build());

    assertThat(vrrp.start())
        .containsExactly(
            new Publish(new StateChange("VI_1", VrrpRole.INIT, VrrpRole.BACKUP, "start", 0)),
            new ScheduleAt(START_LISTENING.toNanos()));
    vrrp.advance(START_LISTENING.minusNanos(1));
    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.BACKUP);
    vrrp.advance(Duration.ofNanos(1));

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.MASTER);
    assertThat(vrrp.lastChange().reason()).isEqualTo("state MASTER start wait 1.004s elapsed");
  }

  @Test
  void aStateMasterInstanceThatHearsAHigherMasterAtStartWaitsLikeAnyBackup() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().stateMaster(true).build());
    vrrp.start();

    vrrp.advance(Duration.ofMillis(500));
    vrrp.receive(vrrp.advert(150));
    vrrp.advance(MASTER_DOWN_100.minusNanos(1));
    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.BACKUP);
    vrrp.advance(Duration.ofNanos(1));

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.MASTER);
    assertThat(vrrp.lastChange().reason()).isEqualTo("master down interval 3.609s elapsed");
  }

  @Test
  void aStateMasterInstanceThatHearsALowerMasterAtStartTakesOverWhenItsWaitEnds() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().stateMaster(true).build());
    vrrp.start();

    vrrp.advance(Duration.ofMillis(500));
    vrrp.receive(vrrp.advert(50));
    vrrp.advance(START_LISTENING.minus(Duration.ofMillis(500)));

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.MASTER);
  }

  @Test
  void preemptDelayOrNopreemptKeepTheFullWaitOfAStateMasterInstance() {
    VrrpStateMachineDriver delayed =
        new VrrpStateMachineDriver(
            config().stateMaster(true).preemptDelay(Duration.ofSeconds(10)).build());
    VrrpStateMachineDriver nopreempt =
        new VrrpStateMachineDriver(config().stateMaster(true).preempt(false).build());

    assertThat(delayed.start()).contains(new ScheduleAt(MASTER_DOWN_100.toNanos()));
    assertThat(nopreempt.start()).contains(new ScheduleAt(MASTER_DOWN_100.toNanos()));
  }

  @Test
  void aStateMasterInstanceBackFromAFaultWaitsTheWholeInterval() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().stateMaster(true).build());
    vrrp.start();
    vrrp.record(vrrp.machine.onLinkChange(false));
    vrrp.advance(Duration.ofSeconds(5));

    List<VrrpAction> actions = vrrp.record(vrrp.machine.onLinkChange(true));

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.BACKUP);
    assertThat(actions)
        .contains(new ScheduleAt(Duration.ofSeconds(5).plus(MASTER_DOWN_100).toNanos()));
  }

  @Test
  void backupBecomesMasterAfterMasterDownInterval() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().build());
    vrrp.start();

    vrrp.advance(MASTER_DOWN_100.minusNanos(1));
    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.BACKUP);
    vrrp.advance(Duration.ofNanos(1));

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.MASTER);
    assertThat(vrrp.lastChange().reason()).isEqualTo("master down interval 3.609s elapsed");
    assertThat(vrrp.sinceOrigin(vrrp.lastChange())).isEqualTo(MASTER_DOWN_100);
  }

  @Test
  void becomingMasterSendsOneAdvertThenAddsVipsThenBurstsGratuitousArps() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().build());
    vrrp.start();

    List<VrrpAction> actions = vrrp.advance(MASTER_DOWN_100);

    assertThat(actions).hasSize(5);
    assertThat(actions.get(0)).isInstanceOf(Publish.class);
    assertThat(actions.subList(1, 4))
        .containsExactly(
            new SendAdvertisement(100, SECOND), new AddVips(List.of(VIP)), new SendGratuitous(5));
    assertThat(actions.get(4)).isInstanceOf(ScheduleAt.class);
    assertThat(vrrp.machine.count(VrrpCounter.BECAME_MASTER)).isEqualTo(1);
  }

  @Test
  void advertFromTheMasterResetsTheTimer() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().build());
    vrrp.start();

    vrrp.peerAdvertisesFor(150, SECOND, Duration.ofSeconds(30));
    vrrp.advance(MASTER_DOWN_100.minusNanos(1));
    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.BACKUP);

    vrrp.advance(Duration.ofNanos(1));
    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.MASTER);
  }

  @Test
  void equalPriorityAdvertAlsoResetsTheTimer() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().build());
    vrrp.start();

    vrrp.peerAdvertisesFor(100, SECOND, Duration.ofSeconds(30));

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.BACKUP);
  }

  @Test
  void lowerPriorityAdvertIsIgnoredWithoutResettingTheTimer() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().build());
    vrrp.start();

    vrrp.peerAdvertisesFor(50, SECOND, Duration.ofSeconds(3));
    vrrp.advance(MASTER_DOWN_100.minusSeconds(3));

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.MASTER);
    assertThat(vrrp.sinceOrigin(vrrp.lastChange())).isEqualTo(MASTER_DOWN_100);
  }

  @Test
  void priorityZeroAdvertMakesBackupTakeOverAfterSkewTime() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().build());
    vrrp.start();
    vrrp.peerAdvertisesFor(150, SECOND, Duration.ofSeconds(2));

    vrrp.receive(vrrp.advert(0));
    vrrp.advance(Duration.ofNanos(609_375_000 - 1));
    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.BACKUP);
    vrrp.advance(Duration.ofNanos(1));

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.MASTER);
    assertThat(vrrp.lastChange().reason())
        .isEqualTo("master 198.18.0.11 left (priority 0), skew time 0.609s elapsed");
    assertThat(vrrp.machine.count(VrrpCounter.PRIORITY_ZERO_RECEIVED)).isEqualTo(1);
  }

  @Test
  void nopreemptKeepsTheCurrentMaster() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().preempt(false).build());
    vrrp.start();

    vrrp.peerAdvertisesFor(50, SECOND, Duration.ofSeconds(60));

    assertThat(vrrp.changes()).extracting(StateChange::to).containsExactly(VrrpRole.BACKUP);
  }

  @Test
  void preemptDelayHoldsTakeoverAfterStart() {
    VrrpStateMachineDriver vrrp =
        new VrrpStateMachineDriver(
            config().priority(200).preemptDelay(Duration.ofSeconds(10)).build());
    vrrp.start();

    vrrp.peerAdvertisesFor(100, SECOND, Duration.ofSeconds(9));
    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.BACKUP);
    vrrp.peerAdvertisesFor(100, SECOND, Duration.ofSeconds(10));

    // The advert at 9 s was the last one heeded; from 10 s on they are discarded.
    Duration masterDown200 = Duration.ofNanos(3_218_750_000L);
    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.MASTER);
    assertThat(vrrp.sinceOrigin(vrrp.lastChange()))
        .isEqualTo(Duration.ofSeconds(9).plus(masterDown200));
  }

  @Test
  void addressOwnerStartsAsMaster() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().priority(255).build());

    List<VrrpAction> actions = vrrp.start();

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.MASTER);
    assertThat(vrrp.lastChange().reason()).isEqualTo("start, address owner (priority 255)");
    assertThat(actions).contains(new SendAdvertisement(255, SECOND), new AddVips(List.of(VIP)));
  }

  @Test
  void backupAdoptsMastersAdvertIntervalInVersion3() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().build());
    vrrp.start();
    Duration twoSeconds = Duration.ofSeconds(2);

    vrrp.advance(SECOND);
    vrrp.receive(withInterval(vrrp.advert(150), twoSeconds));

    // 3 × 2 s + 156/256 × 2 s
    Duration masterDown = Duration.ofNanos(7_218_750_000L);
    vrrp.advance(masterDown.minusNanos(1));
    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.BACKUP);
    vrrp.advance(Duration.ofNanos(1));
    assertThat(vrrp.lastChange().reason()).isEqualTo("master down interval 7.219s elapsed");
  }

  @Test
  void version2DropsAdvertsWithAnotherInterval() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().version(2).build());
    vrrp.start();

    vrrp.advance(SECOND);
    vrrp.receive(withInterval(vrrp.advert(150), Duration.ofSeconds(2)));
    vrrp.advance(MASTER_DOWN_100.minus(SECOND));

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.MASTER);
    assertThat(vrrp.machine.count(VrrpCounter.DROPPED_ADVERT_INTERVAL_MISMATCH)).isEqualTo(1);
  }

  @Test
  void unicastAdvertFromNonPeerIsDropped() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().unicastPeers(PEER).build());
    vrrp.start();
    Advertisement fromStranger = vrrp.advert(150, ip("198.18.0.99"));
    Advertisement notFlaggedPeer =
        new Advertisement(3, 99, 150, SECOND, List.of(VIP), fromStranger.source(), false);

    vrrp.advance(SECOND);
    vrrp.receive(notFlaggedPeer);
    vrrp.advance(MASTER_DOWN_100.minus(SECOND));

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.MASTER);
    assertThat(vrrp.machine.count(VrrpCounter.DROPPED_NOT_A_PEER)).isEqualTo(1);
    assertThat(vrrp.machine.count(VrrpCounter.ADVERTS_RECEIVED)).isZero();
  }

  @Test
  void unicastAdvertFromPeerIsHeeded() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().unicastPeers(PEER).build());
    vrrp.start();

    vrrp.peerAdvertisesFor(150, SECOND, Duration.ofSeconds(10));

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.BACKUP);
  }

  @Test
  void addressListMismatchIsCountedButTheAdvertStillCounts() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().build());
    vrrp.start();
    Advertisement other =
        new Advertisement(3, 99, 150, SECOND, List.of(ip("198.18.0.51")), PEER, true);

    for (int i = 0; i < 10; i++) {
      vrrp.advance(SECOND);
      vrrp.receive(other);
    }

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.BACKUP);
    assertThat(vrrp.machine.count(VrrpCounter.ADDRESS_LIST_MISMATCH)).isEqualTo(10);
  }

  @Test
  void advertOfAnotherVridOrVersionIsDropped() {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().build());
    vrrp.start();

    vrrp.advance(SECOND);
    vrrp.receive(new Advertisement(3, 98, 150, SECOND, List.of(VIP), PEER, true));
    vrrp.receive(new Advertisement(2, 99, 150, SECOND, List.of(VIP), PEER, true));
    vrrp.advance(MASTER_DOWN_100.minus(SECOND));

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.MASTER);
    assertThat(vrrp.machine.count(VrrpCounter.DROPPED_WRONG_VERSION_OR_VRID)).isEqualTo(2);
  }

  @Test
  void timersSurviveTheWrapAroundOfTheNanosecondClock() {
    FakeClock clock = new FakeClock(Long.MAX_VALUE - 1_000_000_000L);
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().build(), clock);
    vrrp.start();

    vrrp.advance(MASTER_DOWN_100.minusNanos(1));
    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.BACKUP);
    vrrp.advance(Duration.ofNanos(1));

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.MASTER);
  }

  private static Advertisement withInterval(Advertisement a, Duration interval) {
    return new Advertisement(
        a.version(), a.vrid(), a.priority(), interval, a.addresses(), a.source(), true);
  }
}
