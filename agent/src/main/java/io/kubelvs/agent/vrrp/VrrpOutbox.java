package io.kubelvs.agent.vrrp;

import io.kubelvs.agent.vrrp.VrrpAction.AddVips;
import io.kubelvs.agent.vrrp.VrrpAction.CancelTimer;
import io.kubelvs.agent.vrrp.VrrpAction.Publish;
import io.kubelvs.agent.vrrp.VrrpAction.RemoveVips;
import io.kubelvs.agent.vrrp.VrrpAction.ScheduleAt;
import io.kubelvs.agent.vrrp.VrrpAction.SendAdvertisement;
import io.kubelvs.agent.vrrp.VrrpAction.SendGratuitous;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Collects one event's actions in order, and remembers what the I/O layer was told before: whether
 * the VIPs are added (so only addresses this instance added are ever removed) and which deadline is
 * scheduled (so an unchanged one is not repeated). Also holds the instance's counters.
 */
final class VrrpOutbox {

  private final VrrpInstanceConfig config;
  private final Map<VrrpCounter, Long> counters = new EnumMap<>(VrrpCounter.class);
  private final List<VrrpAction> actions = new ArrayList<>();
  private boolean vipsAdded;
  private OptionalLong scheduled = OptionalLong.empty();

  VrrpOutbox(VrrpInstanceConfig config) {
    this.config = config;
  }

  void advert(int priority) {
    actions.add(new SendAdvertisement(priority, config.advertInterval()));
    count(VrrpCounter.ADVERTS_SENT);
    if (priority == 0) {
      count(VrrpCounter.PRIORITY_ZERO_SENT);
    }
  }

  /** The VIPs are on the interface already, added by an earlier run of this agent. */
  void adoptVips() {
    vipsAdded = true;
  }

  void addVips() {
    actions.add(new AddVips(config.virtualAddresses()));
    vipsAdded = true;
  }

  /** Removes the VIPs if, and only if, this instance added them. */
  void removeVips() {
    if (vipsAdded) {
      actions.add(new RemoveVips(config.virtualAddresses()));
      vipsAdded = false;
    }
  }

  void gratuitous(int count) {
    actions.add(new SendGratuitous(count));
  }

  void publish(StateChange change) {
    actions.add(new Publish(change));
  }

  void count(VrrpCounter counter) {
    counters.put(counter, counters.getOrDefault(counter, 0L) + 1);
  }

  long counted(VrrpCounter counter) {
    return counters.getOrDefault(counter, 0L);
  }

  /**
   * The event's actions, ending with the deadline the I/O layer should arm: repeated after a timer
   * fired (the I/O layer's timer is spent), otherwise only when it changed.
   */
  List<VrrpAction> drain(VrrpTimers timers, boolean timerFired) {
    OptionalLong next = timers.earliest();
    if (next.isPresent() && (timerFired || !next.equals(scheduled))) {
      actions.add(new ScheduleAt(next.getAsLong()));
    } else if (next.isEmpty() && scheduled.isPresent()) {
      actions.add(new CancelTimer());
    }
    scheduled = next;
    List<VrrpAction> drained = List.copyOf(actions);
    actions.clear();
    return drained;
  }
}
