package io.kubelvs.operator.reconcile;

import java.time.Duration;

/** Polls an assertion until it holds or a deadline passes; then it fails with the last failure. */
public final class Eventually {
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  private Eventually() {}

  public static void eventually(Runnable assertion) {
    within(DEADLINE, assertion);
  }

  /**
   * The assertion holds within {@code limit}: a latency the issue promises, not just a deadline.
   */
  public static void within(Duration limit, Runnable assertion) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError | RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
