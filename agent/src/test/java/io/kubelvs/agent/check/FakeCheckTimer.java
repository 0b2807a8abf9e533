package io.kubelvs.agent.check;

import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A {@link CheckTimer} whose time moves only when the test says so. {@link #advance} runs, in order
 * of due time (then of scheduling), every task due by the new time, with the clock set to each
 * task's due time while it runs; tasks handed to {@link #execute} run before the next timer task.
 * The thread that created it is the timer thread.
 */
final class FakeCheckTimer implements CheckTimer {

  /** An arbitrary start, far from 0, so nothing relies on readings being small. */
  static final long START = 7_000_000_000_000L;

  private final Thread owner = Thread.currentThread();
  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(Comparator.comparingLong(Task::due).thenComparingLong(Task::order));
  private final Queue<Runnable> ready = new ConcurrentLinkedQueue<>();
  private long now = START;
  private long order;
  private long lagNanos;

  private static final class Task {
    private final long due;
    private final long order;
    private final Runnable body;
    private boolean cancelled;

    Task(long due, long order, Runnable body) {
      this.due = due;
      this.order = order;
      this.body = body;
    }

    long due() {
      return due;
    }

    long order() {
      return order;
    }
  }

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    Task scheduled = new Task(now + Math.max(0, delayNanos), order++, task);
    tasks.add(scheduled);
    return () -> {
      scheduled.cancelled = true;
      tasks.remove(scheduled);
    };
  }

  @Override
  public void execute(Runnable task) {
    ready.add(task);
  }

  @Override
  public boolean inTimerThread() {
    return Thread.currentThread() == owner;
  }

  /**
   * From now on every timer task runs {@code lag} after it is due, as on a busy event loop (tasks
   * keep their order).
   */
  void lag(Duration lag) {
    lagNanos = lag.toNanos();
  }

  /** Moves time forward by {@code duration}, running everything that falls due on the way. */
  void advance(Duration duration) {
    long end = now + duration.toNanos();
    runReady();
    while (!tasks.isEmpty() && tasks.peek().due() + lagNanos - end <= 0) {
      Task next = tasks.poll();
      if (next.cancelled) {
        continue;
      }
      now = Math.max(now, next.due() + lagNanos);
      next.body.run();
      runReady();
    }
    now = end;
  }

  /** Runs what is due now, including completions handed over with {@link #execute}. */
  void runPending() {
    advance(Duration.ZERO);
  }

  /** How much time passed since {@link #START}. */
  Duration elapsed() {
    return Duration.ofNanos(now - START);
  }

  /** How many timer tasks wait to run. */
  int scheduledTasks() {
    return tasks.size();
  }

  private void runReady() {
    Runnable task;
    while ((task = ready.poll()) != null) {
      task.run();
    }
  }
}
