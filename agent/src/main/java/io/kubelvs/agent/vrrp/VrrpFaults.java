package io.kubelvs.agent.vrrp;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** Why an instance is in FAULT, by cause; it leaves FAULT once no cause is left. */
final class VrrpFaults {

  enum Cause {
    /** The interface is down: nothing can be sent, so no priority-0 advert on the way out. */
    LINK,
    /** A weight-0 tracked condition is down. */
    TRACKING,
    /** Another member of the instance's sync group has a fault of its own. */
    SYNC_GROUP
  }

  private final Map<Cause, String> reasons = new EnumMap<>(Cause.class);

  /** Sets ({@code reason} not null) or clears one cause. */
  void set(Cause cause, String reasonOrNull) {
    if (reasonOrNull == null) {
      reasons.remove(cause);
    } else {
      reasons.put(cause, reasonOrNull);
    }
  }

  boolean any() {
    return !reasons.isEmpty();
  }

  /** The reason of the first cause, in {@link Cause} order. */
  Optional<String> first() {
    return reasons.values().stream().findFirst();
  }

  /** A fault of the instance's own, not only its sync group's. */
  Optional<String> own() {
    return reasons.entrySet().stream()
        .filter(e -> e.getKey() != Cause.SYNC_GROUP)
        .map(Map.Entry::getValue)
        .findFirst();
  }
}
