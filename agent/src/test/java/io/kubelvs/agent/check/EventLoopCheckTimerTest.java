package io.kubelvs.agent.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The production timer: tasks run on the Netty event loop's thread; cancel means never run. */
class EventLoopCheckTimerTest {
  private static final long WAIT_SECONDS = 10;

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoopCheckTimer timer = new EventLoopCheckTimer(group.next());

  @AfterEach
  void stopLoop() {
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void scheduledTaskRunsOnTheTimerThread() throws Exception {
    CompletableFuture<Boolean> ranOnTimerThread = new CompletableFuture<>();

    timer.schedule(() -> ranOnTimerThread.complete(timer.inTimerThread()), 1_000_000);

    assertThat(ranOnTimerThread.get(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(timer.inTimerThread()).isFalse();
  }

  @Test
  void cancelledTaskNeverRuns() throws Exception {
    AtomicBoolean cancelledRan = new AtomicBoolean();
    CompletableFuture<Void> laterTaskRan = new CompletableFuture<>();

    CheckTimer.Cancellable cancelled =
        timer.schedule(() -> cancelledRan.set(true), TimeUnit.MILLISECONDS.toNanos(20));
    cancelled.cancel();
    timer.schedule(() -> laterTaskRan.complete(null), TimeUnit.MILLISECONDS.toNanos(40));

    laterTaskRan.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(cancelledRan).isFalse();
  }

  @Test
  void executedTasksRunInOrderOnTheTimerThread() throws Exception {
    List<Integer> order = new CopyOnWriteArrayList<>();
    CompletableFuture<Boolean> lastOnTimerThread = new CompletableFuture<>();

    timer.execute(() -> order.add(1));
    timer.execute(() -> order.add(2));
    timer.execute(
        () -> {
          order.add(3);
          lastOnTimerThread.complete(timer.inTimerThread());
        });

    assertThat(lastOnTimerThread.get(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(order).containsExactly(1, 2, 3);
  }
}
