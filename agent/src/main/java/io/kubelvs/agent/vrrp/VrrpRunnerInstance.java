package io.kubelvs.agent.vrrp;

import io.kubelvs.agent.vrrp.VrrpRunnerCounters.ReceiveDrop;
import java.net.InetAddress;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One instance inside a {@link VrrpRunner}: its state machine and what the event loop keeps for it.
 * Everything but the snapshots belongs to the loop's thread; the snapshots ({@link #role()}, {@link
 * #counters()}) are published after each event for other threads to read.
 */
final class VrrpRunnerInstance {

  private final VrrpStateMachine machine;
  private final InstanceTracking tracking;
  private final Map<DropReason, Long> decodeDrops = new EnumMap<>(DropReason.class);
  private final Map<ReceiveDrop, Long> receiveDrops = new EnumMap<>(ReceiveDrop.class);

  /** The VIPs this runner put on the interface: the only ones it will ever remove. */
  private final Set<InetAddress> added = new LinkedHashSet<>();

  /** The state machine's deadline ({@link VrrpAction.ScheduleAt}); empty when none. */
  private OptionalLong deadline = OptionalLong.empty();

  /** While an I/O error holds the instance in FAULT: when to try again; empty otherwise. */
  private OptionalLong ioRetryAt = OptionalLong.empty();

  private volatile VrrpRole role = VrrpRole.INIT;
  private volatile int priority;
  private volatile VrrpRunnerCounters counters = VrrpRunnerCounters.none();

  VrrpRunnerInstance(VrrpStateMachine machine) {
    this.machine = machine;
    this.tracking = new InstanceTracking(machine.config());
    this.priority = machine.priority();
  }

  VrrpStateMachine machine() {
    return machine;
  }

  VrrpInstanceConfig config() {
    return machine.config();
  }

  InstanceTracking tracking() {
    return tracking;
  }

  String name() {
    return machine.config().name();
  }

  Set<InetAddress> added() {
    return added;
  }

  OptionalLong deadline() {
    return deadline;
  }

  void deadline(OptionalLong newDeadline) {
    deadline = newDeadline;
  }

  OptionalLong ioRetryAt() {
    return ioRetryAt;
  }

  void ioRetryAt(OptionalLong at) {
    ioRetryAt = at;
  }

  boolean inIoFault() {
    return ioRetryAt.isPresent();
  }

  void drop(DropReason reason) {
    decodeDrops.merge(reason, 1L, Long::sum);
  }

  void drop(ReceiveDrop reason) {
    receiveDrops.merge(reason, 1L, Long::sum);
  }

  /** Publishes the role, priority and counters as they are now. */
  void snapshot() {
    role = machine.role();
    priority = machine.priority();
    counters = VrrpRunnerCounters.of(machine, decodeDrops, receiveDrops);
  }

  VrrpRole role() {
    return role;
  }

  /** The effective priority: the configured one, as tracking changed it. */
  int priority() {
    return priority;
  }

  VrrpRunnerCounters counters() {
    return counters;
  }
}
