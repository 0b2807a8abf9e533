package io.kubelvs.agent.observe;

import io.kubelvs.agent.vrrp.MonotonicClock;
import io.kubelvs.agent.vrrp.StateChange;
import io.kubelvs.agent.vrrp.VrrpRole;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * What the VRRP runners' snapshots do not keep: how often each instance entered each state, and its
 * last change with the wall-clock time it happened. Fed on the runners' threads, read by scrapes.
 * An instance removed from the configuration keeps its counts, so that one added back goes on
 * counting instead of resetting.
 */
final class VrrpTransitions implements Consumer<StateChange> {

  /** The last change of an instance: the state entered, why, and when. */
  record Last(VrrpRole state, String reason, Instant at) {}

  private static final class Counts {
    private final AtomicLongArray entered = new AtomicLongArray(VrrpRole.values().length);
    private volatile Last last;
  }

  private final MonotonicClock monotonic;
  private final InstantSource wall;
  private final ConcurrentMap<String, Counts> instances = new ConcurrentHashMap<>();

  /**
   * @param monotonic the clock the runners stamp their changes with
   * @param wall the clock {@link Last#at()} is given in
   */
  VrrpTransitions(MonotonicClock monotonic, InstantSource wall) {
    this.monotonic = monotonic;
    this.wall = wall;
  }

  @Override
  public void accept(StateChange change) {
    if (change.resumed() && instances.containsKey(change.instance())) {
      return; // still master since the change already counted
    }
    Counts counts = instances.computeIfAbsent(change.instance(), name -> new Counts());
    counts.entered.incrementAndGet(change.to().ordinal());
    // A change is handed over as it happens; the difference only corrects for a slow listener.
    long agoNanos = Math.max(0, monotonic.nanoTime() - change.monotonicNanos());
    counts.last = new Last(change.to(), change.reason(), wall.instant().minusNanos(agoNanos));
  }

  /** How often {@code instance} entered each state, every state but INIT listed. */
  Map<VrrpRole, Long> entered(String instance) {
    Counts counts = instances.get(instance);
    Map<VrrpRole, Long> entered = new EnumMap<>(VrrpRole.class);
    for (VrrpRole role : VrrpRole.values()) {
      if (role != VrrpRole.INIT) {
        entered.put(role, counts == null ? 0L : counts.entered.get(role.ordinal()));
      }
    }
    return entered;
  }

  /** The last change of {@code instance}, if one was seen. */
  Optional<Last> last(String instance) {
    Counts counts = instances.get(instance);
    return counts == null ? Optional.empty() : Optional.ofNullable(counts.last);
  }
}
