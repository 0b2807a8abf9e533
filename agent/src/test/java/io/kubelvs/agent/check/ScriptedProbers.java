package io.kubelvs.agent.check;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Probers whose attempts end when the test says: by default an attempt stays open until the test
 * completes it ({@link #lastAttempt}); after {@link #answer} the attempts to a target complete at
 * once with the scripted results, the last one repeating. Every attempt is recorded with the timer
 * reading at its start.
 */
final class ScriptedProbers implements ProberFactory {

  /** One attempt of a check. */
  record Attempt(
      CheckMethod method,
      ProbeTarget target,
      long startedAt,
      CompletableFuture<ProbeResult> future) {

    void complete(ProbeResult result) {
      future.complete(result);
    }
  }

  private final FakeCheckTimer timer;
  private final Map<InetSocketAddress, Deque<ProbeResult>> answers = new HashMap<>();
  private final Map<InetSocketAddress, List<Attempt>> attempts = new HashMap<>();
  private final List<CheckMethod> probersGiven = new ArrayList<>();

  ScriptedProbers(FakeCheckTimer timer) {
    this.timer = timer;
  }

  @Override
  public Prober forMethod(CheckMethod method) {
    probersGiven.add(method);
    return target -> {
      Attempt attempt = new Attempt(method, target, timer.nanoTime(), new CompletableFuture<>());
      attempts.computeIfAbsent(target.address(), a -> new ArrayList<>()).add(attempt);
      Deque<ProbeResult> scripted = answers.get(target.address());
      if (scripted != null) {
        attempt.complete(scripted.size() > 1 ? scripted.poll() : scripted.peek());
      }
      return attempt.future();
    };
  }

  /** From now on attempts to {@code target} complete at once with {@code results} in turn. */
  void answer(InetSocketAddress target, ProbeResult... results) {
    answers.put(target, new ArrayDeque<>(List.of(results)));
  }

  /** From now on attempts to {@code target} stay open until completed by hand. */
  void hold(InetSocketAddress target) {
    answers.remove(target);
  }

  List<Attempt> attempts(InetSocketAddress target) {
    return List.copyOf(attempts.getOrDefault(target, List.of()));
  }

  int attemptCount(InetSocketAddress target) {
    return attempts.getOrDefault(target, List.of()).size();
  }

  Attempt lastAttempt(InetSocketAddress target) {
    List<Attempt> all = attempts.get(target);
    if (all == null || all.isEmpty()) {
      throw new AssertionError("no attempt was made to " + target);
    }
    return all.get(all.size() - 1);
  }

  /** When each attempt to {@code target} started, as time since {@link FakeCheckTimer#START}. */
  List<Duration> startTimes(InetSocketAddress target) {
    return attempts(target).stream()
        .map(a -> Duration.ofNanos(a.startedAt() - FakeCheckTimer.START))
        .toList();
  }

  /** The methods probers were asked for, in order. */
  List<CheckMethod> probersGiven() {
    return List.copyOf(probersGiven);
  }
}
