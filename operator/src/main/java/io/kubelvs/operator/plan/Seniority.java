package io.kubelvs.operator.plan;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Who came first, for conflicts: the older creationTimestamp, then namespace, then name. Objects
 * without a timestamp (not yet created) count as the newest, so they never take a VIP from an
 * object that exists.
 */
record Seniority(Instant created, String namespace, String name) implements Comparable<Seniority> {

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
    Instant common = apiServerForm(timestamp);
    if (common != null) {
      return common;
    }
    try {
      return OffsetDateTime.parse(timestamp).toInstant();
    } catch (DateTimeParseException e) {
      // The API server writes RFC 3339; anything else did not come from one.
      return Instant.MAX;
    }
  }

  /**
   * What API servers write, {@code 2026-12-03T18:00:00Z}, read by hand: through a DateTimeFormatter
   * it cost a tenth of a planning pass at 5,000 services. Null for anything else.
   */
  private static Instant apiServerForm(String t) {
    if (t.length() != 20
        || t.charAt(4) != '-'
        || t.charAt(7) != '-'
        || t.charAt(10) != 'T'
        || t.charAt(13) != ':'
        || t.charAt(16) != ':'
        || t.charAt(19) != 'Z') {
      return null;
    }
    try {
      return LocalDateTime.of(
              digits(t, 0, 4),
              digits(t, 5, 2),
              digits(t, 8, 2),
              digits(t, 11, 2),
              digits(t, 14, 2),
              digits(t, 17, 2))
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeException | NumberFormatException e) {
      return null;
    }
  }

  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new NumberFormatException(text);
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  @Override
  public int compareTo(Seniority other) {
    int byTime = created.compareTo(other.created);
    if (byTime != 0) {
      return byTime;
    }
    int byNamespace = namespace.compareTo(other.namespace);
    return byNamespace != 0 ? byNamespace : name.compareTo(other.name);
  }
}
