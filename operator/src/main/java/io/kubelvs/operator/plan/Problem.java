package io.kubelvs.operator.plan;

/**
 * Why the planner could not place a VirtualService, or what is wrong with a pool: the material of a
 * status condition. {@code reason} is CamelCase for the condition's reason; {@code message} is the
 * sentence an operator on call reads.
 */
public record Problem(Kind kind, String reason, String message) {

  /** What kind of condition the problem becomes. */
  public enum Kind {
    /** Another, older VirtualService holds the same VIP, port and protocol (or firewall mark). */
    CONFLICT,
    /** The request cannot be met as written: no such pool, a VIP outside the pool's ranges. */
    INVALID,
    /** The pool ran out of virtual router ids or VIPs. */
    EXHAUSTED
  }

  public static Problem conflict(String reason, String message) {
    return new Problem(Kind.CONFLICT, reason, message);
  }

  public static Problem invalid(String reason, String message) {
    return new Problem(Kind.INVALID, reason, message);
  }

  public static Problem exhausted(String reason, String message) {
    return new Problem(Kind.EXHAUSTED, reason, message);
  }
}
