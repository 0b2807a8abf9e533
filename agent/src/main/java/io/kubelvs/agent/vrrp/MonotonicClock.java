package io.kubelvs.agent.vrrp;

/**
 * A monotonic time source in nanoseconds, like {@link System#nanoTime()}: only differences between
 * two readings mean anything, and a wall-clock jump does not move it. Injected so the state machine
 * is deterministic under test (ARCHITECTURE.md, invariant 6).
 *
 * <p>Readings may wrap around; compare two of them as {@code a - b < 0}, never {@code a < b}.
 */
@FunctionalInterface
public interface MonotonicClock {

  long nanoTime();

  /** The JVM's monotonic clock. */
  static MonotonicClock system() {
    return System::nanoTime;
  }
}
