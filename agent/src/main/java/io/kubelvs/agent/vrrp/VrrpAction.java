package io.kubelvs.agent.vrrp;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * What the state machine asks the I/O layer to do, in the order returned. The I/O layer sends the
 * packets, adds and removes the addresses through rtnetlink, and calls {@link
 * VrrpStateMachine#onTimer()} once the last scheduled deadline is reached.
 */
public sealed interface VrrpAction {

  /** Send one advertisement with this priority (0: "I am leaving") and advert interval. */
  record SendAdvertisement(int priority, Duration interval) implements VrrpAction {}

  /** Add these virtual addresses to the interface (becoming master). */
  record AddVips(List<InetAddress> addresses) implements VrrpAction {
    public AddVips {
      addresses = List.copyOf(addresses);
    }
  }

  /** Remove these virtual addresses, which an earlier {@link AddVips} added. */
  record RemoveVips(List<InetAddress> addresses) implements VrrpAction {
    public RemoveVips {
      addresses = List.copyOf(addresses);
    }
  }

  /**
   * Send {@code count} gratuitous ARPs (IPv4) or unsolicited neighbour advertisements (IPv6) for
   * every virtual address, back to back.
   */
  record SendGratuitous(int count) implements VrrpAction {}

  /**
   * Call {@link VrrpStateMachine#onTimer()} when the monotonic clock reaches this reading; replaces
   * any deadline scheduled before.
   */
  record ScheduleAt(long deadlineNanos) implements VrrpAction {}

  /** No deadline is pending any more: drop the one scheduled before. */
  record CancelTimer() implements VrrpAction {}

  /** The instance changed state: hand the event to status, logs and notifications. */
  record Publish(StateChange change) implements VrrpAction {}
}
