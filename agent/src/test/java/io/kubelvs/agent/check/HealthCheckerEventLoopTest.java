package io.kubelvs.agent.check;

import static io.kubelvs.agent.check.CheckHarness.VS;
import static io.kubelvs.agent.check.CheckHarness.rs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The health checker on a real Netty event loop, called from the test's thread, with a prober that
 * completes its attempts on yet another thread: results hop onto the loop, the listener is called
 * there, and apply, snapshot and close work from outside. Waits are bounded only to avoid hanging;
 * nothing asserts on how long anything took.
 */
class HealthCheckerEventLoopTest {
  private static final long WAIT_SECONDS = 10;

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoop loop = group.next();
  private final ExecutorService proberThread = Executors.newSingleThreadExecutor();
  private final AtomicReference<ProbeResult> answer =
      new AtomicReference<>(ProbeResult.up("HTTP 200"));
  private final BlockingQueue<Object> reports = new LinkedBlockingQueue<>();
  private final AtomicBoolean listenerOffLoop = new AtomicBoolean();

  private final HealthListener listener =
      new HealthListener() {
        @Override
        public void onDestinations(DesiredDestinations destinations) {
          record();
          reports.add(destinations);
        }

        @Override
        public void onEvent(HealthEvent event) {
          record();
          reports.add(event);
        }

        private void record() {
          if (!loop.inEventLoop()) {
            listenerOffLoop.set(true);
          }
        }
      };

  private final ProberFactory probers =
      method -> target -> CompletableFuture.supplyAsync(answer::get, proberThread);

  private final HealthChecker checker =
      new HealthChecker(
          new EventLoopCheckTimer(loop),
          probers,
          Clock.systemUTC(),
          new SplittableRandom(7),
          listener);

  @AfterEach
  void stop() {
    checker.close();
    proberThread.shutdownNow();
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private <T> T next(Class<T> type) throws InterruptedException {
    while (true) {
      Object report = reports.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(report).as("a %s within %d s", type.getSimpleName(), WAIT_SECONDS).isNotNull();
      if (type.isInstance(report)) {
        return type.cast(report);
      }
    }
  }

  @Test
  void checksRunOnTheLoopAndReportStateChangesFromOtherThreadsResults() throws Exception {
    CheckTiming timing =
        new CheckTiming(
            Duration.ofMillis(20),
            Duration.ofSeconds(1),
            0,
            Duration.ofMillis(20),
            Optional.of(Duration.ZERO),
            false);
    checker.apply(
        List.of(
            VirtualServerChecks.of(
                VS, List.of(RealServerCheck.of(rs(1), 2, new TcpCheck(), timing)))));
    assertThat(next(DesiredDestinations.class).destinations()).isEqualTo(Map.of(rs(1), 2));

    answer.set(ProbeResult.down("connection refused"));
    HealthEvent.RealServerDown down = next(HealthEvent.RealServerDown.class);
    assertThat(down.realServer()).isEqualTo(rs(1));
    assertThat(down.reason()).isEqualTo("connection refused");
    assertThat(next(DesiredDestinations.class).destinations()).isEmpty();

    HealthSnapshot.RealServer status =
        checker.snapshot().virtualServer(VS).orElseThrow().realServer(rs(1)).orElseThrow();
    assertThat(status.up()).isFalse();
    assertThat(status.lastReason()).isEqualTo("connection refused");
    assertThat(listenerOffLoop).isFalse();
  }

  @Test
  void closeFromAnotherThreadStopsTheCheckerForGood() throws Exception {
    checker.apply(
        List.of(VirtualServerChecks.of(VS, List.of(RealServerCheck.unchecked(rs(1), 1)))));

    checker.close();
    checker.close();

    assertThatThrownBy(() -> checker.apply(List.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThat(checker.snapshot().virtualServers()).hasSize(1);
  }
}
