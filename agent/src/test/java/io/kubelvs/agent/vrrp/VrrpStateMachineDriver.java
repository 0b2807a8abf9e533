package io.kubelvs.agent.vrrp;

import io.kubelvs.agent.vrrp.VrrpAction.CancelTimer;
import io.kubelvs.agent.vrrp.VrrpAction.Publish;
import io.kubelvs.agent.vrrp.VrrpAction.ScheduleAt;
import io.kubelvs.agent.vrrp.VrrpAction.SendAdvertisement;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives one state machine on a {@link FakeClock} the way the I/O layer will: it keeps the last
 * scheduled deadline and calls {@code onTimer()} exactly when the clock reaches it. Addresses are
 * from the benchmarking range 198.18.0.0/15.
 */
final class VrrpStateMachineDriver {

  static final InetAddress LOCAL = ip("198.18.0.10");
  static final InetAddress PEER = ip("198.18.0.11");
  static final InetAddress LOWER_ADDRESS_PEER = ip("198.18.0.9");
  static final InetAddress VIP = ip("198.18.0.50");

  final FakeClock clock;
  final VrrpStateMachine machine;
  private final long origin;
  private final List<VrrpAction> all = new ArrayList<>();
  private Long deadline;

  VrrpStateMachineDriver(VrrpInstanceConfig config) {
    this(config, new FakeClock());
  }

  VrrpStateMachineDriver(VrrpInstanceConfig config, FakeClock clock) {
    this.clock = clock;
    this.origin = clock.nanoTime();
    this.machine = new VrrpStateMachine(config, clock);
  }

  /** keepalived's defaults, v3 with a 1 s interval, this router at priority 100. */
  static VrrpInstanceConfig.Builder config() {
    return VrrpInstanceConfig.builder("VI_1", 99, LOCAL)
        .version(3)
        .advertInterval(Duration.ofSeconds(1))
        .virtualAddresses(VIP);
  }

  static InetAddress ip(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  List<VrrpAction> start() {
    return record(machine.start());
  }

  List<VrrpAction> record(List<VrrpAction> actions) {
    for (VrrpAction action : actions) {
      if (action instanceof ScheduleAt at) {
        deadline = at.deadlineNanos();
      } else if (action instanceof CancelTimer) {
        deadline = null;
      }
    }
    all.addAll(actions);
    return actions;
  }

  /** An advert from {@link #PEER} as the configured instance's peer would send it. */
  Advertisement advert(int priority) {
    return advert(priority, PEER);
  }

  Advertisement advert(int priority, InetAddress source) {
    VrrpInstanceConfig c = machine.config();
    return new Advertisement(
        c.version(), c.vrid(), priority, c.advertInterval(), c.virtualAddresses(), source, true);
  }

  List<VrrpAction> receive(Advertisement advert) {
    return record(machine.onAdvertisement(advert));
  }

  /** Moves the clock forward, firing every deadline on the way; returns what that produced. */
  List<VrrpAction> advance(Duration d) {
    long target = clock.nanoTime() + d.toNanos();
    List<VrrpAction> produced = new ArrayList<>();
    while (deadline != null && target - deadline >= 0) {
      clock.set(deadline);
      produced.addAll(record(machine.onTimer()));
    }
    clock.set(target);
    return produced;
  }

  /** Sends {@code priority} adverts from {@link #PEER} every interval for {@code span}. */
  void peerAdvertisesFor(int priority, Duration interval, Duration span) {
    for (long t = interval.toNanos(); t <= span.toNanos(); t += interval.toNanos()) {
      advance(interval);
      receive(advert(priority));
    }
  }

  /** Time since the driver was created, for "when" assertions. */
  Duration elapsed() {
    return Duration.ofNanos(clock.nanoTime() - origin);
  }

  List<StateChange> changes() {
    return all.stream().filter(Publish.class::isInstance).map(a -> ((Publish) a).change()).toList();
  }

  StateChange lastChange() {
    List<StateChange> changes = changes();
    return changes.get(changes.size() - 1);
  }

  Duration sinceOrigin(StateChange change) {
    return Duration.ofNanos(change.monotonicNanos() - origin);
  }

  List<Integer> advertPriorities(List<VrrpAction> actions) {
    return actions.stream()
        .filter(SendAdvertisement.class::isInstance)
        .map(a -> ((SendAdvertisement) a).priority())
        .toList();
  }

  Long deadline() {
    return deadline;
  }
}
