package io.kubelvs.agent.check;

/**
 * The one thread the health checker's state lives on, and its clock (ARCHITECTURE.md, invariant 6:
 * time is injected). Every task given to {@link #schedule} and {@link #execute} runs on that
 * thread, one at a time, so checker state needs no locks; a probe completing on another thread hops
 * back with {@link #execute}. Production uses {@link EventLoopCheckTimer}; tests drive a fake one
 * by hand.
 */
public interface CheckTimer {

  /** A monotonic reading in nanoseconds; compare two as {@code a - b < 0}, never {@code a < b}. */
  long nanoTime();

  /** Runs {@code task} on the timer thread once {@code delayNanos} have passed. */
  Cancellable schedule(Runnable task, long delayNanos);

  /** Runs {@code task} on the timer thread soon, after the task running now. */
  void execute(Runnable task);

  /** Whether the caller is the timer thread, where checker state may be touched directly. */
  boolean inTimerThread();

  /** A scheduled task that has not run yet can be called off; once it ran, cancel does nothing. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }
}
