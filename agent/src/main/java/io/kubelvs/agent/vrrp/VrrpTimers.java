package io.kubelvs.agent.vrrp;

import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The deadlines one instance waits for, as monotonic nanosecond readings. The I/O layer only ever
 * sees the earliest one. Comparisons are wrap-safe ({@code a - b < 0}), as {@link
 * System#nanoTime()} requires.
 */
final class VrrpTimers {

  /** In the order {@link VrrpStateMachine#onTimer()} handles them when several are due. */
  enum Timer {
    /** Handover: give up waiting for the new master and release the addresses. */
    HAND_OVER,
    /** Backup: the master is considered down (RFC 5798 Master_Down_Timer). */
    MASTER_DOWN,
    /** Master: send the next advert (RFC 5798 Adver_Timer). */
    ADVERT,
    /** Master: the second burst of gratuitous ARPs (keepalived garp_master_delay). */
    GARP_SECOND_BURST,
    /** Master: the periodic gratuitous ARP refresh (keepalived garp_master_refresh). */
    GARP_REFRESH
  }

  private final Map<Timer, Long> deadlines = new EnumMap<>(Timer.class);

  void set(Timer timer, long deadline) {
    deadlines.put(timer, deadline);
  }

  void cancel(Timer timer) {
    deadlines.remove(timer);
  }

  void cancelAll() {
    deadlines.clear();
  }

  boolean isDue(Timer timer, long now) {
    Long deadline = deadlines.get(timer);
    return deadline != null && now - deadline >= 0;
  }

  /** The deadline of a timer that is set. */
  long deadline(Timer timer) {
    return deadlines.get(timer);
  }

  OptionalLong earliest() {
    OptionalLong earliest = OptionalLong.empty();
    for (long deadline : deadlines.values()) {
      if (earliest.isEmpty() || deadline - earliest.getAsLong() < 0) {
        earliest = OptionalLong.of(deadline);
      }
    }
    return earliest;
  }
}
