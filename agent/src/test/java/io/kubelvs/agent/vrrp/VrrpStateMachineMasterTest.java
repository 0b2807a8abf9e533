package io.kubelvs.agent.vrrp;

import static io.kubelvs.agent.vrrp.VrrpStateMachineDriver.LOWER_ADDRESS_PEER;
import static io.kubelvs.agent.vrrp.VrrpStateMachineDriver.PEER;
import static io.kubelvs.agent.vrrp.VrrpStateMachineDriver.VIP;
import static io.kubelvs.agent.vrrp.VrrpStateMachineDriver.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.vrrp.VrrpAction.AddVips;
import io.kubelvs.agent.vrrp.VrrpAction.RemoveVips;
import io.kubelvs.agent.vrrp.VrrpAction.SendAdvertisement;
import io.kubelvs.agent.vrrp.VrrpAction.SendGratuitous;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The master's side of RFC 5798 §6.4.3 and keepalived's gratuitous ARPs. */
class VrrpStateMachineMasterTest {

  static final Duration SECOND = Duration.ofSeconds(1);

  /** A driver whose instance (priority 100, v3, 1 s) has just become master. */
  private static VrrpStateMachineDriver master(VrrpInstanceConfig config) {
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config);
    vrrp.start();
    vrrp.advance(MasterDownInterval.of(config.version(), config.priority(), SECOND));
    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.MASTER);
    return vrrp;
  }

  private static VrrpStateMachineDriver master() {
    return master(config().build());
  }

  @Test
  void masterAdvertisesEveryInterval() {
    VrrpStateMachineDriver vrrp = master();

    List<VrrpAction> actions = vrrp.advance(Duration.ofSeconds(10));

    assertThat(vrrp.advertPriorities(actions)).hasSize(10).containsOnly(100);
  }

  @Test
  void garpBurstThenSecondBurstAfterDelay() {
    VrrpStateMachineDriver vrrp = master();

    List<VrrpAction> beforeDelay = vrrp.advance(Duration.ofMillis(4_999));
    List<VrrpAction> atDelay = vrrp.advance(Duration.ofMillis(1));
    List<VrrpAction> later = vrrp.advance(Duration.ofSeconds(60));

    assertThat(beforeDelay).doesNotHaveAnyElementsOfTypes(SendGratuitous.class);
    assertThat(atDelay).contains(new SendGratuitous(5));
    assertThat(later).doesNotHaveAnyElementsOfTypes(SendGratuitous.class);
  }

  @Test
  void gratuitousArpCountsAndRefreshAreConfigurable() {
    VrrpInstanceConfig.Garp garp =
        new VrrpInstanceConfig.Garp(3, Duration.ZERO, Duration.ofSeconds(30), 2);
    VrrpStateMachineDriver vrrp = new VrrpStateMachineDriver(config().garp(garp).build());
    vrrp.start();

    List<VrrpAction> becoming = vrrp.advance(MasterDownInterval.of(3, 100, SECOND));
    List<VrrpAction> minute = vrrp.advance(Duration.ofSeconds(60));

    assertThat(becoming).contains(new SendGratuitous(3));
    assertThat(minute)
        .filteredOn(SendGratuitous.class::isInstance)
        .containsExactly(new SendGratuitous(2), new SendGratuitous(2));
  }

  @Test
  void higherPriorityAdvertMakesMasterStepDown() {
    VrrpStateMachineDriver vrrp = master();

    List<VrrpAction> actions = vrrp.receive(vrrp.advert(150));

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.BACKUP);
    assertThat(vrrp.lastChange().reason()).isEqualTo("higher priority 150 from 198.18.0.11");
    assertThat(actions).contains(new RemoveVips(List.of(VIP)));
    assertThat(vrrp.advertPriorities(actions)).isEmpty();
    assertThat(vrrp.machine.count(VrrpCounter.RELEASED_MASTER)).isEqualTo(1);
  }

  @Test
  void equalPriorityTieBrokenByHigherPrimaryAddress() {
    VrrpStateMachineDriver vrrp = master();

    vrrp.receive(vrrp.advert(100, LOWER_ADDRESS_PEER));
    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.MASTER);

    vrrp.receive(vrrp.advert(100, PEER));
    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.BACKUP);
    assertThat(vrrp.lastChange().reason()).isEqualTo("equal priority 100 from 198.18.0.11");
  }

  @Test
  void lowerPriorityMasterIsAnsweredAtOnceSoItStepsDownAndArpCachesPointHere() {
    VrrpStateMachineDriver vrrp = master();

    List<VrrpAction> actions = vrrp.receive(vrrp.advert(50));

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.MASTER);
    // garp_master_repeat (5) gratuitous ARPs: while both were master, clients may have learned the
    // other one's MAC
    assertThat(actions).containsExactly(new SendAdvertisement(100, SECOND), new SendGratuitous(5));
  }

  @Test
  void priorityZeroAdvertMakesMasterAdvertiseAtOnce() {
    VrrpStateMachineDriver vrrp = master();
    vrrp.advance(Duration.ofMillis(300));

    List<VrrpAction> actions = vrrp.receive(vrrp.advert(0));

    assertThat(vrrp.advertPriorities(actions)).containsExactly(100);
    // and the Adver_Timer restarts: the next one an interval from now
    assertThat(vrrp.advertPriorities(vrrp.advance(SECOND.minusNanos(1)))).isEmpty();
    assertThat(vrrp.advertPriorities(vrrp.advance(Duration.ofNanos(1)))).containsExactly(100);
  }

  @Test
  void steppingDownAdoptsTheNewMastersIntervalInVersion3() {
    VrrpStateMachineDriver vrrp = master();
    Advertisement slow =
        new Advertisement(3, 99, 150, Duration.ofSeconds(2), List.of(VIP), PEER, true);

    vrrp.receive(slow);
    vrrp.advance(Duration.ofNanos(7_218_750_000L - 1));
    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.BACKUP);
    vrrp.advance(Duration.ofNanos(1));

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.MASTER);
  }

  @Test
  void advertsCarryTheEffectivePriority() {
    VrrpStateMachineDriver vrrp = master();

    vrrp.record(vrrp.machine.onPriorityChange(60));

    assertThat(vrrp.advertPriorities(vrrp.advance(SECOND))).containsExactly(60);
    vrrp.receive(vrrp.advert(80));
    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.BACKUP);
  }

  @Test
  void becomingMasterAgainAddsTheVipsAgain() {
    VrrpStateMachineDriver vrrp = master();
    vrrp.receive(vrrp.advert(150));

    List<VrrpAction> actions = vrrp.advance(MasterDownInterval.of(3, 100, SECOND));

    assertThat(vrrp.machine.role()).isEqualTo(VrrpRole.MASTER);
    assertThat(actions).contains(new AddVips(List.of(VIP)));
  }
}
