package io.kubelvs.agent.check;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A {@link HealthChecker} on a {@link FakeCheckTimer} with {@link ScriptedProbers} and a {@link
 * RecordingListener}: everything a test needs to drive checks by hand. No real time, no network.
 */
final class CheckHarness {

  /** The wall-clock time at {@link FakeCheckTimer#START}. */
  static final Instant EPOCH = Instant.parse("2030-01-01T00:00:00Z");

  /** delay_loop 10 s, connect_timeout 2 s, retry 2, delay_before_retry 3 s, no warmup. */
  static final CheckTiming TIMING =
      new CheckTiming(
          Duration.ofSeconds(10),
          Duration.ofSeconds(2),
          2,
          Duration.ofSeconds(3),
          Optional.of(Duration.ZERO),
          false);

  /** The deadline of one attempt with {@link #TIMING}: 2 x 2 s + 1 s. */
  static final Duration DEADLINE = Duration.ofSeconds(5);

  static final String VS = "198.18.0.50:80/TCP";

  final FakeCheckTimer timer = new FakeCheckTimer();
  final ScriptedProbers probers = new ScriptedProbers(timer);
  final RecordingListener listener = new RecordingListener();
  final HealthChecker checker;

  CheckHarness() {
    this(new SplittableRandom(42));
  }

  CheckHarness(RandomGenerator random) {
    checker = new HealthChecker(timer, probers, this::now, random, listener);
  }

  Instant now() {
    return EPOCH.plus(timer.elapsed());
  }

  /** The wall-clock time {@code sinceStart} after the start. */
  static Instant at(Duration sinceStart) {
    return EPOCH.plus(sinceStart);
  }

  /** The n-th real server: 198.18.x.y port 80, distinct for n up to 60 000. */
  static InetSocketAddress rs(int n) {
    try {
      byte[] address = {
        (byte) 198, (byte) (18 + n / 60_000), (byte) (n / 250 % 240), (byte) (n % 250 + 1)
      };
      return new InetSocketAddress(InetAddress.getByAddress(address), 80);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** The n-th real server, weight 1, HTTP_GET /health with {@code timing}. */
  static RealServerCheck server(int n, CheckTiming timing) {
    return RealServerCheck.of(rs(n), 1, HttpGetCheck.of("/health"), timing);
  }

  static RealServerCheck server(int n) {
    return server(n, TIMING);
  }

  /** Applies a configuration that the test knows to be valid. */
  void apply(VirtualServerChecks... virtualServers) {
    try {
      checker.apply(List.of(virtualServers));
    } catch (CheckConfigException e) {
      throw new AssertionError("the test's configuration should be valid", e);
    }
  }

  void advance(Duration duration) {
    timer.advance(duration);
  }

  /** Runs what is due now: started checks, completed attempts. */
  void runDue() {
    timer.runPending();
  }

  HealthSnapshot.RealServer status(String virtualServer, InetSocketAddress realServer) {
    return checker
        .snapshot()
        .virtualServer(virtualServer)
        .flatMap(vs -> vs.realServer(realServer))
        .orElseThrow(() -> new AssertionError(realServer + " is not in " + virtualServer));
  }
}
