package io.kubelvs.agent.vrrp;

import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of what one instance of a {@link VrrpRunner} counted: the state machine's counters and
 * the adverts the receive path dropped before the state machine saw them, by reason.
 *
 * @param events the state machine's counters ({@link VrrpStateMachine#count})
 * @param decodeDrops drops by RFC 5798 §7.1 reason; for an instance only {@link
 *     DropReason#BAD_TTL}, the others are found before the VRID is known and are counted by the
 *     runner as a whole
 * @param receiveDrops drops that need the runner's configuration to judge
 */
public record VrrpRunnerCounters(
    Map<VrrpCounter, Long> events,
    Map<DropReason, Long> decodeDrops,
    Map<ReceiveDrop, Long> receiveDrops) {

  /** Why the receive path dropped an advert that decoded cleanly. */
  public enum ReceiveDrop {
    /** No instance on the interface has the advert's VRID. */
    UNKNOWN_VRID,
    /**
     * VRRPv2: the auth type or the 8-byte password differs from ours (RFC 3768 §7.1, keepalived's
     * auth_failure counter).
     */
    AUTHENTICATION_MISMATCH,
    /** Unicast mode: the sender is not one of the instance's unicast peers. */
    NOT_A_PEER
  }

  public VrrpRunnerCounters {
    events = Map.copyOf(events);
    decodeDrops = Map.copyOf(decodeDrops);
    receiveDrops = Map.copyOf(receiveDrops);
  }

  static VrrpRunnerCounters none() {
    return new VrrpRunnerCounters(Map.of(), Map.of(), Map.of());
  }

  static VrrpRunnerCounters of(
      VrrpStateMachine machine,
      Map<DropReason, Long> decodeDrops,
      Map<ReceiveDrop, Long> receiveDrops) {
    Map<VrrpCounter, Long> events = new EnumMap<>(VrrpCounter.class);
    for (VrrpCounter counter : VrrpCounter.values()) {
      events.put(counter, machine.count(counter));
    }
    return new VrrpRunnerCounters(events, decodeDrops, receiveDrops);
  }

  public long count(VrrpCounter counter) {
    return events.getOrDefault(counter, 0L);
  }

  public long dropped(DropReason reason) {
    return decodeDrops.getOrDefault(reason, 0L);
  }

  public long dropped(ReceiveDrop reason) {
    return receiveDrops.getOrDefault(reason, 0L);
  }
}
