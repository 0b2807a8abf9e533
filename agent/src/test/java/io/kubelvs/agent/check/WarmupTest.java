package io.kubelvs.agent.check;

import static io.kubelvs.agent.check.CheckHarness.TIMING;
import static io.kubelvs.agent.check.CheckHarness.VS;
import static io.kubelvs.agent.check.CheckHarness.rs;
import static io.kubelvs.agent.check.CheckHarness.server;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * warmup: the first check of each server starts after a random delay up to the warmup (by default
 * the interval), so 10 000 servers do not fire in one burst; afterwards each keeps its own phase.
 */
class WarmupTest {
  private static final int SERVERS = 10_000;
  private static final int BUCKETS = 10;
  private static final Duration INTERVAL = Duration.ofSeconds(1);

  private final CheckHarness harness = new CheckHarness(new SplittableRandom(20_300_101L));

  /** 10 000 servers checked every second, warmup left at its default (the interval). */
  private void startManyServers() {
    CheckTiming timing =
        new CheckTiming(
            INTERVAL, Duration.ofMillis(500), 1, Duration.ofMillis(200), Optional.empty(), false);
    List<RealServerCheck> servers = new ArrayList<>(SERVERS);
    for (int n = 0; n < SERVERS; n++) {
      harness.probers.answer(rs(n), ProbeResult.up());
      servers.add(server(n, timing));
    }
    harness.apply(VirtualServerChecks.of(VS, servers));
  }

  /** How many of the servers' {@code attempt}-th checks started in each tenth of an interval. */
  private List<Integer> histogramOfAttempt(int attempt, Duration offset) {
    int[] buckets = new int[BUCKETS];
    long bucketNanos = INTERVAL.toNanos() / BUCKETS;
    for (int n = 0; n < SERVERS; n++) {
      long started = harness.probers.startTimes(rs(n)).get(attempt).minus(offset).toNanos();
      assertThat(started).isBetween(0L, INTERVAL.toNanos());
      buckets[(int) Math.min(BUCKETS - 1, started / bucketNanos)]++;
    }
    return Arrays.stream(buckets).boxed().toList();
  }

  @Test
  void warmupSpreadsTenThousandFirstChecksUniformlyOverTheInterval() {
    startManyServers();

    harness.advance(INTERVAL);

    // 1 000 expected per 100 ms; a binomial standard deviation is 30, so 15 % is a wide margin
    assertThat(histogramOfAttempt(0, Duration.ZERO))
        .allSatisfy(n -> assertThat(n).isBetween(850, 1150));
  }

  @Test
  void afterWarmupEachServerKeepsItsOwnPhase() {
    startManyServers();

    harness.advance(INTERVAL.multipliedBy(3));

    for (int n = 0; n < SERVERS; n++) {
      List<Duration> starts = harness.probers.startTimes(rs(n));
      assertThat(starts.get(1).minus(starts.get(0))).isEqualTo(INTERVAL);
      assertThat(starts.get(2).minus(starts.get(1))).isEqualTo(INTERVAL);
    }
    assertThat(histogramOfAttempt(2, INTERVAL.multipliedBy(2)))
        .allSatisfy(n -> assertThat(n).isBetween(850, 1150));
  }

  @Test
  void zeroWarmupStartsEveryFirstCheckAtOnce() {
    harness.probers.answer(rs(1), ProbeResult.up());
    harness.probers.answer(rs(2), ProbeResult.up());
    harness.apply(VirtualServerChecks.of(VS, List.of(server(1, TIMING), server(2, TIMING))));

    harness.runDue();

    assertThat(harness.probers.startTimes(rs(1))).containsExactly(Duration.ZERO);
    assertThat(harness.probers.startTimes(rs(2))).containsExactly(Duration.ZERO);
  }

  @Test
  void explicitWarmupBoundsTheFirstDelay() {
    CheckTiming timing = TIMING.withWarmup(Duration.ofSeconds(2));
    List<RealServerCheck> servers = new ArrayList<>();
    for (int n = 0; n < 200; n++) {
      harness.probers.answer(rs(n), ProbeResult.up());
      servers.add(server(n, timing));
    }
    harness.apply(VirtualServerChecks.of(VS, servers));

    harness.advance(Duration.ofSeconds(2));

    for (int n = 0; n < 200; n++) {
      assertThat(harness.probers.startTimes(rs(n)))
          .singleElement()
          .satisfies(start -> assertThat(start).isBetween(Duration.ZERO, Duration.ofSeconds(2)));
    }
  }
}
