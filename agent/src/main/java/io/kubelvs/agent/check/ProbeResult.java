package io.kubelvs.agent.check;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * The outcome of one attempt of a check. {@code reason} says why it failed in words an operator
 * understands ("HTTP 503", "connect timeout 1s", "connection refused", "digest mismatch"); for a
 * success it is "ok" or what was seen. {@code weight} is a weight the check itself decided
 * (MISC_CHECK's misc_dynamic), empty otherwise.
 */
public record ProbeResult(boolean healthy, String reason, OptionalInt weight) {

  public ProbeResult {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(weight, "weight");
  }

  public static ProbeResult up() {
    return new ProbeResult(true, "ok", OptionalInt.empty());
  }

  public static ProbeResult up(String reason) {
    return new ProbeResult(true, reason, OptionalInt.empty());
  }

  public static ProbeResult upWithWeight(int weight, String reason) {
    return new ProbeResult(true, reason, OptionalInt.of(weight));
  }

  public static ProbeResult down(String reason) {
    return new ProbeResult(false, reason, OptionalInt.empty());
  }
}
