package io.kubelvs.agent.vrrp;

import static io.kubelvs.agent.vrrp.VrrpStateMachineDriver.LOCAL;
import static io.kubelvs.agent.vrrp.VrrpStateMachineDriver.PEER;
import static io.kubelvs.agent.vrrp.VrrpStateMachineDriver.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubelvs.agent.vrrp.VrrpAction.CancelTimer;
import io.kubelvs.agent.vrrp.VrrpAction.Publish;
import io.kubelvs.agent.vrrp.VrrpAction.RemoveVips;
import io.kubelvs.agent.vrrp.VrrpAction.ScheduleAt;
import io.kubelvs.agent.vrrp.VrrpAction.SendAdvertisement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** keepalived's vrrp_sync_group: the members change state together. */
class SyncGroupTest {

  static final Duration SECOND = Duration.ofSeconds(1);
  static final Duration MASTER_DOWN_100 = MasterDownInterval.of(3, 100, SECOND);

  private final FakeClock clock = new FakeClock();
  private final Map<String, Long> deadlines = new HashMap<>();
  private final SyncGroup group =
      new SyncGroup(
          "director",
          List.of(member("outside", 51, "198.18.0.50"), member("inside", 52, "198.18.1.50")));

  private VrrpStateMachine member(String name, int vrid, String vip) {
    VrrpInstanceConfig config =
        VrrpInstanceConfig.builder(name, vrid, LOCAL).version(3).virtualAddresses(ip(vip)).build();
    return new VrrpStateMachine(config, clock);
  }

  private Map<String, List<VrrpAction>> apply(
      String instance, Function<VrrpStateMachine, List<VrrpAction>> event) {
    Map<String, List<VrrpAction>> actions = group.apply(instance, event);
    actions.forEach(
        (member, list) ->
            list.forEach(
                a -> {
                  if (a instanceof ScheduleAt at) {
                    deadlines.put(member, at.deadlineNanos());
                  } else if (a instanceof CancelTimer) {
                    deadlines.remove(member);
                  }
                }));
    return actions;
  }

  private void advance(Duration d) {
    long target = clock.nanoTime() + d.toNanos();
    while (true) {
      var due =
          deadlines.entrySet().stream()
              .filter(e -> target - e.getValue() >= 0)
              .min(Map.Entry.comparingByValue());
      if (due.isEmpty()) {
        break;
      }
      clock.set(due.get().getValue());
      deadlines.remove(due.get().getKey());
      apply(due.get().getKey(), VrrpStateMachine::onTimer);
    }
    clock.set(target);
  }

  private Advertisement advertTo(String instance, int priority) {
    VrrpInstanceConfig c = group.member(instance).config();
    return new Advertisement(3, c.vrid(), priority, SECOND, c.virtualAddresses(), PEER, true);
  }

  private VrrpRole role(String instance) {
    return group.member(instance).role();
  }

  private void bothMasters() {
    apply("outside", VrrpStateMachine::start);
    apply("inside", VrrpStateMachine::start);
    advance(MASTER_DOWN_100);
    assertThat(role("outside")).isEqualTo(VrrpRole.MASTER);
    assertThat(role("inside")).isEqualTo(VrrpRole.MASTER);
  }

  @Test
  void memberFaultTakesTheOthersToFault() {
    bothMasters();

    Map<String, List<VrrpAction>> actions = apply("outside", m -> m.onLinkChange(false));

    assertThat(role("inside")).isEqualTo(VrrpRole.FAULT);
    assertThat(actions.keySet()).containsExactly("outside", "inside");
    List<VrrpAction> inside = actions.get("inside");
    assertThat(((Publish) inside.get(0)).change().reason())
        .isEqualTo("sync group director: outside link down");
    assertThat(inside.subList(1, 3))
        .containsExactly(
            new SendAdvertisement(0, SECOND), new RemoveVips(List.of(ip("198.18.1.50"))));
  }

  @Test
  void groupRecoversWhenTheFaultedMemberDoes() {
    bothMasters();
    apply("outside", m -> m.onLinkChange(false));

    apply("outside", m -> m.onLinkChange(true));

    assertThat(role("outside")).isEqualTo(VrrpRole.BACKUP);
    assertThat(role("inside")).isEqualTo(VrrpRole.BACKUP);
    advance(MASTER_DOWN_100);
    assertThat(role("outside")).isEqualTo(VrrpRole.MASTER);
    assertThat(role("inside")).isEqualTo(VrrpRole.MASTER);
  }

  @Test
  void recoveringMemberStaysInFaultWhileAnotherIsDownOnItsOwn() {
    bothMasters();
    apply("outside", m -> m.onLinkChange(false));
    apply("inside", m -> m.onLinkChange(false));

    apply("outside", m -> m.onLinkChange(true));
    assertThat(role("outside")).isEqualTo(VrrpRole.FAULT);
    assertThat(group.member("outside").ownFault()).isEmpty();

    apply("inside", m -> m.onLinkChange(true));
    assertThat(role("outside")).isEqualTo(VrrpRole.BACKUP);
    assertThat(role("inside")).isEqualTo(VrrpRole.BACKUP);
  }

  @Test
  void masterSteppingDownTakesTheOtherMastersToBackupWithPriorityZero() {
    bothMasters();

    Map<String, List<VrrpAction>> actions =
        apply("outside", m -> m.onAdvertisement(advertTo("outside", 150)));

    assertThat(role("outside")).isEqualTo(VrrpRole.BACKUP);
    assertThat(role("inside")).isEqualTo(VrrpRole.BACKUP);
    assertThat(actions.get("inside"))
        .contains(new SendAdvertisement(0, SECOND), new RemoveVips(List.of(ip("198.18.1.50"))));
  }

  @Test
  void backupWaitsForTheWholeGroupBeforeBecomingMaster() {
    apply("outside", VrrpStateMachine::start);
    apply("inside", VrrpStateMachine::start);

    for (int i = 0; i < 30; i++) {
      advance(SECOND);
      apply("inside", m -> m.onAdvertisement(advertTo("inside", 150)));
    }
    assertThat(role("outside")).as("inside still hears its master").isEqualTo(VrrpRole.BACKUP);
    assertThat(group.member("outside").readyForMaster()).isTrue();

    advance(MASTER_DOWN_100);
    assertThat(role("inside")).isEqualTo(VrrpRole.MASTER);
    assertThat(role("outside")).isEqualTo(VrrpRole.MASTER);
  }

  @Test
  void membersAreNamedOnce() {
    VrrpStateMachine one = member("outside", 51, "198.18.0.50");
    assertThatThrownBy(() -> new SyncGroup("g", List.of(one, one)))
        .hasMessage("sync group g: outside twice");
    assertThatThrownBy(() -> group.member("nope"))
        .hasMessage("sync group director has no instance nope");
  }
}
