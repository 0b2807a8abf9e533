package io.kubelvs.agent.vrrp;

import java.time.Duration;

/** A monotonic clock that moves only when a test moves it. */
final class FakeClock implements MonotonicClock {

  private long now;

  FakeClock() {
    this(0);
  }

  /** Starting elsewhere than 0, e.g. just before the wrap-around of a long. */
  FakeClock(long start) {
    this.now = start;
  }

  @Override
  public long nanoTime() {
    return now;
  }

  void advance(Duration d) {
    now += d.toNanos();
  }

  void set(long nanos) {
    now = nanos;
  }
}
