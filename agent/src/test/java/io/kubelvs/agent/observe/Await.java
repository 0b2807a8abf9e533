package io.kubelvs.agent.observe;

import java.time.Duration;

/** Polls until a condition holds; the agent's threads decide when, the test only waits. */
final class Await {
  private static final Duration WAIT = Duration.ofSeconds(10);

  interface Condition {
    boolean holds() throws Exception;
  }

  private Await() {}

  static void until(Condition condition, String what) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      Thread.sleep(20);
    }
  }
}
