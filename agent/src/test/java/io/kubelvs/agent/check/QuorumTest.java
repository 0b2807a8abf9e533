package io.kubelvs.agent.check;

import static io.kubelvs.agent.check.CheckHarness.TIMING;
import static io.kubelvs.agent.check.CheckHarness.VS;
import static io.kubelvs.agent.check.CheckHarness.at;
import static io.kubelvs.agent.check.CheckHarness.rs;
import static io.kubelvs.agent.check.CheckHarness.server;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Quorum with hysteresis, the sorry server, inhibit_on_failure and sorry_server_inhibit, as
 * keepalived's ipwrapper.c decides them. Servers here have no retries, so one failed check takes a
 * server down and one success brings it back.
 */
class QuorumTest {
  private static final CheckTiming NO_RETRY = TIMING.withRetries(0, Duration.ofSeconds(1));
  private static final InetSocketAddress SORRY = rs(99);

  private final CheckHarness harness = new CheckHarness();

  private static VirtualServerChecks servers(int count) {
    List<RealServerCheck> servers = new ArrayList<>();
    for (int n = 1; n <= count; n++) {
      servers.add(server(n, NO_RETRY));
    }
    return VirtualServerChecks.of(VS, servers);
  }

  /** Starts {@code vs} with every server up, checked once. */
  private void startAllUp(VirtualServerChecks vs) {
    vs.realServers().forEach(rs -> harness.probers.answer(rs.realServer(), ProbeResult.up()));
    harness.apply(vs);
    harness.runDue();
    harness.listener.clearEvents();
  }

  /** The next check of the servers numbered {@code servers} gives {@code result}. */
  private void nextCheck(ProbeResult result, int... servers) {
    for (int n : servers) {
      harness.probers.answer(rs(n), result);
    }
    harness.advance(NO_RETRY.interval());
  }

  private Map<InetSocketAddress, Integer> destinations() {
    return harness.listener.lastDestinations(VS).destinations();
  }

  @Test
  void quorumIsLostOnlyBelowQuorumMinusHysteresis() {
    startAllUp(servers(5).withQuorum(3, 1));

    nextCheck(ProbeResult.down("HTTP 503"), 1, 2, 3); // healthy weight 2 = quorum - hysteresis
    assertThat(harness.listener.quorumEvents()).isEmpty();

    nextCheck(ProbeResult.down("HTTP 503"), 4); // healthy weight 1
    assertThat(harness.listener.quorumEvents())
        .containsExactly(new HealthEvent.QuorumLost(VS, 1, 3, 1, at(Duration.ofSeconds(20))));
  }

  @Test
  void quorumIsRegainedOnlyAtQuorumPlusHysteresis() {
    startAllUp(servers(5).withQuorum(3, 1));
    nextCheck(ProbeResult.down("HTTP 503"), 1, 2, 3, 4);
    harness.listener.clear();

    nextCheck(ProbeResult.up(), 1, 2); // healthy weight 3 = quorum, below quorum + hysteresis
    assertThat(harness.listener.quorumEvents()).isEmpty();
    assertThat(harness.listener.lastDestinations(VS).quorumUp()).isFalse();

    nextCheck(ProbeResult.up(), 3); // healthy weight 4
    assertThat(harness.listener.quorumEvents())
        .containsExactly(new HealthEvent.QuorumRegained(VS, 4, 3, 1, at(Duration.ofSeconds(30))));
    assertThat(harness.listener.lastDestinations(VS).quorumUp()).isTrue();
  }

  @Test
  void sorryServerReplacesTheRealServersWhileQuorumIsLost() {
    startAllUp(servers(3).withQuorum(2, 0).withSorryServer(new SorryServer(SORRY, false)));
    assertThat(destinations()).isEqualTo(Map.of(rs(1), 1, rs(2), 1, rs(3), 1));

    nextCheck(ProbeResult.down("HTTP 503"), 1, 2);

    assertThat(destinations()).isEqualTo(Map.of(SORRY, 1));
    assertThat(harness.listener.lastDestinations(VS).sorryServer()).contains(SORRY);
    assertThat(harness.status(VS, rs(3)).up()).isTrue();
  }

  @Test
  void sorryServerLeavesWhenQuorumReturns() {
    startAllUp(servers(3).withQuorum(2, 0).withSorryServer(new SorryServer(SORRY, false)));
    nextCheck(ProbeResult.down("HTTP 503"), 1, 2);

    nextCheck(ProbeResult.up(), 1);

    assertThat(destinations()).isEqualTo(Map.of(rs(1), 1, rs(3), 1));
    assertThat(harness.listener.lastDestinations(VS).sorryServerActive()).isFalse();
    assertThat(harness.listener.quorumEvents())
        .containsExactly(
            new HealthEvent.QuorumLost(VS, 1, 2, 0, at(Duration.ofSeconds(10))),
            new HealthEvent.QuorumRegained(VS, 2, 2, 0, at(Duration.ofSeconds(20))));
  }

  @Test
  void sorryServerTakesOverWhenEveryServerIsDown() {
    startAllUp(servers(2).withSorryServer(new SorryServer(SORRY, false)));

    nextCheck(ProbeResult.down("connection refused"), 1, 2);

    assertThat(destinations()).isEqualTo(Map.of(SORRY, 1));
  }

  @Test
  void virtualServerStartingBelowQuorumPutsTheSorryServerInAtOnce() {
    VirtualServerChecks vs =
        VirtualServerChecks.of(VS, List.of(server(1, NO_RETRY.withAlpha(true))))
            .withSorryServer(new SorryServer(SORRY, false));

    harness.apply(vs);

    assertThat(destinations()).isEqualTo(Map.of(SORRY, 1));
    assertThat(harness.listener.quorumEvents())
        .containsExactly(new HealthEvent.QuorumLost(VS, 0, 1, 0, at(Duration.ZERO)));
  }

  @Test
  void sorryServerInhibitKeepsTheSorryServerAtWeightZeroWhileQuorumHolds() {
    startAllUp(servers(2).withSorryServer(new SorryServer(SORRY, true)));
    assertThat(destinations()).isEqualTo(Map.of(rs(1), 1, rs(2), 1, SORRY, 0));

    nextCheck(ProbeResult.down("HTTP 503"), 1, 2);
    assertThat(destinations()).isEqualTo(Map.of(SORRY, 1));

    nextCheck(ProbeResult.up(), 2);
    assertThat(destinations()).isEqualTo(Map.of(rs(2), 1, SORRY, 0));
  }

  @Test
  void inhibitOnFailureKeepsADownServerAtWeightZero() {
    VirtualServerChecks vs =
        VirtualServerChecks.of(
            VS, List.of(server(1, NO_RETRY).withInhibitOnFailure(true), server(2, NO_RETRY)));
    startAllUp(vs);

    nextCheck(ProbeResult.down("HTTP 503"), 1, 2);

    assertThat(destinations()).isEqualTo(Map.of(rs(1), 0));
  }

  @Test
  void inhibitedServersStayAtWeightZeroWhileTheSorryServerIsIn() {
    VirtualServerChecks vs =
        VirtualServerChecks.of(
                VS,
                List.of(
                    server(1, NO_RETRY).withInhibitOnFailure(true),
                    server(2, NO_RETRY).withInhibitOnFailure(true),
                    server(3, NO_RETRY)))
            .withQuorum(2, 0)
            .withSorryServer(new SorryServer(SORRY, false));
    startAllUp(vs);

    nextCheck(ProbeResult.down("HTTP 503"), 1, 3);

    // rs(2) is up but the sorry server holds the traffic: keepalived "removes" it, which
    // inhibit_on_failure turns into weight 0
    assertThat(destinations()).isEqualTo(Map.of(rs(1), 0, rs(2), 0, SORRY, 1));
  }

  @Test
  void withoutASorryServerTheHealthyServersKeepServingBelowQuorum() {
    startAllUp(servers(3).withQuorum(3, 0));

    nextCheck(ProbeResult.down("HTTP 503"), 1);

    DesiredDestinations reported = harness.listener.lastDestinations(VS);
    assertThat(reported.quorumUp()).isFalse();
    assertThat(reported.destinations()).isEqualTo(Map.of(rs(2), 1, rs(3), 1));
  }

  @Test
  void quorumAboveTheTotalWeightIsLoweredToItAsKeepalivedDoes() {
    startAllUp(servers(2).withQuorum(5, 0));

    HealthSnapshot.VirtualServer status =
        harness.checker.snapshot().virtualServer(VS).orElseThrow();

    assertThat(status.quorum()).isEqualTo(2);
    assertThat(status.quorumUp()).isTrue();
  }

  @Test
  void weightSumOfTheDecisionUsesEachServersWeight() {
    VirtualServerChecks vs =
        VirtualServerChecks.of(
                VS, List.of(server(1, NO_RETRY).withWeight(5), server(2, NO_RETRY).withWeight(1)))
            .withQuorum(4, 0);
    startAllUp(vs);

    nextCheck(ProbeResult.down("HTTP 503"), 2); // 5 left: still quorum
    assertThat(harness.listener.quorumEvents()).isEmpty();
    nextCheck(ProbeResult.down("HTTP 503"), 1); // 0 left
    assertThat(harness.listener.quorumEvents())
        .containsExactly(new HealthEvent.QuorumLost(VS, 0, 4, 0, at(Duration.ofSeconds(20))));
  }

  @Test
  void quorumStateLowersAHysteresisThatALoweredQuorumNoLongerAllows() {
    QuorumState quorum = new QuorumState();

    quorum.configure(10, 5, 3, Optional.empty());

    assertThat(quorum.quorum()).isEqualTo(3);
    assertThat(quorum.hysteresis()).isEqualTo(2);
  }

  @Test
  void quorumStateStartsDownAndGainsQuorumAtOnceWhenTheWeightSuffices() {
    QuorumState quorum = new QuorumState();
    quorum.configure(2, 1, 10, Optional.empty());

    assertThat(quorum.up()).isFalse();
    assertThat(quorum.start(3)).isEqualTo(QuorumState.Transition.GAINED);
    assertThat(quorum.update(1)).isEqualTo(QuorumState.Transition.NONE);
    assertThat(quorum.update(0)).isEqualTo(QuorumState.Transition.LOST);
  }
}
