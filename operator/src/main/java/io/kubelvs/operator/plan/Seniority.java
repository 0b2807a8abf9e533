package io.kubelvs.operator.plan;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Comparator;

/**
 * Who came first, for conflicts: the older creationTimestamp, then namespace, then name. Objects
 * without a timestamp (not yet created) count as the newest, so they never take a VIP from an
 * object that exists.
 */
record Seniority(Instant created, String namespace, String name) implements Comparable<Seniority> {

  private static final Comparator<Seniority> ORDER =
      Comparator.comparing((Seniority s) -> s.created())
          .thenComparing((Seniority s) -> s.namespace())
          .thenComparing((Seniority s) -> s.name());

  static Seniority of(ObjectMeta metadata) {
    return new Seniority(
        created(metadata.getCreationTimestamp()),
        metadata.getNamespace() == null ? "" : metadata.getNamespace(),
        metadata.getName());
  }

  private static Instant created(String timestamp) {
    if (timestamp == null) {
      return Instant.MAX;
    }
    try {
      return OffsetDateTime.parse(timestamp).toInstant();
    } catch (DateTimeParseException e) {
      // The API server writes RFC 3339; anything else did not come from one.
      return Instant.MAX;
    }
  }

  @Override
  public int compareTo(Seniority other) {
    return ORDER.compare(this, other);
  }
}
