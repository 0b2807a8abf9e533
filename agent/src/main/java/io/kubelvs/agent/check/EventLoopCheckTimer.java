package io.kubelvs.agent.check;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A {@link CheckTimer} over one Netty event loop: the checker's state lives on that loop's thread,
 * its timers are the loop's scheduled tasks (a priority queue, so cancelling a probe's deadline is
 * cheap), and its clock is {@link System#nanoTime()}.
 */
public final class EventLoopCheckTimer implements CheckTimer {
  private final EventLoop loop;

  public EventLoopCheckTimer(EventLoop loop) {
    this.loop = Objects.requireNonNull(loop, "loop");
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    ScheduledFuture<?> scheduled = loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    return () -> scheduled.cancel(false);
  }

  @Override
  public void execute(Runnable task) {
    loop.execute(task);
  }

  @Override
  public boolean inTimerThread() {
    return loop.inEventLoop();
  }
}
