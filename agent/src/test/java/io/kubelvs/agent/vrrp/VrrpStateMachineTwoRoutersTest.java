package io.kubelvs.agent.vrrp;

import static io.kubelvs.agent.vrrp.VrrpStateMachineDriver.ip;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two routers wired through a fake network on one fake clock: election, failover at the protocol
 * bound, preempt back, and the planned stops. A = 198.18.0.10 at priority 200, B = 198.18.0.11 at
 * priority 100, at the advert intervals of the failover benchmark.
 */
class VrrpStateMachineTwoRoutersTest {

  static Stream<Arguments> intervals() {
    return Stream.of(
        Arguments.of(2, Duration.ofSeconds(1)),
        Arguments.of(3, Duration.ofMillis(100)),
        Arguments.of(3, Duration.ofMillis(50)));
  }

  private final FakeNetwork network = new FakeNetwork();

  private void routers(int version, Duration interval, int priorityA, int priorityB) {
    network.add("A", config("198.18.0.10", version, interval, priorityA));
    network.add("B", config("198.18.0.11", version, interval, priorityB));
  }

  private static VrrpInstanceConfig config(
      String address, int version, Duration interval, int priority) {
    return VrrpInstanceConfig.builder("VI_1", 99, ip(address))
        .version(version)
        .advertInterval(interval)
        .priority(priority)
        .virtualAddresses(ip("198.18.0.50"))
        .build();
  }

  /** Both start together; A wins; returns when the network has settled. */
  private void elect(int version, Duration interval) {
    routers(version, interval, 200, 100);
    network.run("A", VrrpStateMachine::start);
    network.run("B", VrrpStateMachine::start);
    network.advance(interval.multipliedBy(10));
    network.forgetOutages();
  }

  private static Duration at(StateChange change) {
    return Duration.ofNanos(change.monotonicNanos());
  }

  private StateChange last(String router) {
    List<StateChange> changes = network.router(router).changes;
    return changes.get(changes.size() - 1);
  }

  @ParameterizedTest(name = "v{0} advert {1}")
  @MethodSource("intervals")
  void electsTheHigherPriorityAfterItsMasterDownInterval(int version, Duration interval) {
    elect(version, interval);

    assertThat(network.router("A").role()).isEqualTo(VrrpRole.MASTER);
    assertThat(network.router("B").changes)
        .extracting(StateChange::to)
        .containsOnly(VrrpRole.BACKUP);
    assertThat(at(last("A"))).isEqualTo(MasterDownInterval.of(version, 200, interval));
  }

  @ParameterizedTest(name = "v{0} advert {1}")
  @MethodSource("intervals")
  void failsOverWithinTheProtocolBound(int version, Duration interval) {
    elect(version, interval);
    network.advance(interval.multipliedBy(37).dividedBy(100));

    long crash = network.clock.nanoTime();
    network.crash("A");
    network.advance(interval.multipliedBy(10));

    Duration bound = MasterDownInterval.of(version, 100, interval);
    Duration failover = at(last("B")).minusNanos(crash);
    assertThat(network.router("B").role()).isEqualTo(VrrpRole.MASTER);
    assertThat(failover).isLessThanOrEqualTo(bound).isGreaterThan(bound.minus(interval));
    assertThat(network.outages()).containsExactly(failover);
  }

  @ParameterizedTest(name = "v{0} advert {1}")
  @MethodSource("intervals")
  void preemptsBackWithoutAnOutage(int version, Duration interval) {
    elect(version, interval);
    network.crash("A");
    network.advance(interval.multipliedBy(10));
    network.forgetOutages();

    long restart = network.clock.nanoTime();
    network.restart("A");
    network.advance(interval.multipliedBy(10));

    assertThat(network.router("A").role()).isEqualTo(VrrpRole.MASTER);
    assertThat(at(last("A")).minusNanos(restart))
        .isEqualTo(MasterDownInterval.of(version, 200, interval));
    assertThat(network.router("B").role()).isEqualTo(VrrpRole.BACKUP);
    assertThat(last("B").reason()).isEqualTo("higher priority 200 from 198.18.0.10");
    assertThat(network.outages()).isEmpty();
  }

  @ParameterizedTest(name = "v{0} advert {1}")
  @MethodSource("intervals")
  void linkDownOfTheMasterFailsOverAndLinkUpPreemptsBack(int version, Duration interval) {
    elect(version, interval);

    network.connect("A", false);
    network.run("A", m -> m.onLinkChange(false));
    network.advance(MasterDownInterval.of(version, 100, interval));
    assertThat(network.router("A").role()).isEqualTo(VrrpRole.FAULT);
    assertThat(network.router("B").role()).isEqualTo(VrrpRole.MASTER);

    network.connect("A", true);
    network.run("A", m -> m.onLinkChange(true));
    network.advance(MasterDownInterval.of(version, 200, interval));
    assertThat(network.router("A").role()).isEqualTo(VrrpRole.MASTER);
    assertThat(network.router("B").role()).isEqualTo(VrrpRole.BACKUP);
  }

  @ParameterizedTest(name = "v{0} advert {1}")
  @MethodSource("intervals")
  void gracefulShutdownCostsTheBackupsSkewTime(int version, Duration interval) {
    elect(version, interval);

    network.run("A", VrrpStateMachine::shutdown);
    network.advance(interval.multipliedBy(10));

    assertThat(network.router("B").role()).isEqualTo(VrrpRole.MASTER);
    assertThat(network.outages())
        .containsExactly(MasterDownInterval.skewTime(version, 100, interval));
  }

  @ParameterizedTest(name = "v{0} advert {1}")
  @MethodSource("intervals")
  void handOverLosesNothing(int version, Duration interval) {
    elect(version, interval);

    long handOver = network.clock.nanoTime();
    network.run("A", VrrpStateMachine::handOver);
    network.advance(interval.multipliedBy(10));

    assertThat(network.router("B").role()).isEqualTo(VrrpRole.MASTER);
    assertThat(network.router("A").role()).isEqualTo(VrrpRole.STOPPED);
    assertThat(at(last("A"))).isEqualTo(at(last("B")).plus(interval));
    assertThat(at(last("B")).minusNanos(handOver))
        .isEqualTo(MasterDownInterval.skewTime(version, 100, interval));
    assertThat(network.outages()).isEmpty();
  }

  @ParameterizedTest(name = "v{0} advert {1}")
  @MethodSource("intervals")
  void twoMastersAfterAPartitionSettleOnTheHigherAddress(int version, Duration interval) {
    routers(version, interval, 100, 100);
    network.connect("A", false);
    network.run("A", VrrpStateMachine::start);
    network.run("B", VrrpStateMachine::start);
    network.advance(interval.multipliedBy(10));
    assertThat(network.router("A").role()).isEqualTo(VrrpRole.MASTER);
    assertThat(network.router("B").role()).isEqualTo(VrrpRole.MASTER);

    network.connect("A", true);
    network.advance(interval.multipliedBy(2));

    assertThat(network.router("A").role()).isEqualTo(VrrpRole.BACKUP);
    assertThat(last("A").reason()).isEqualTo("equal priority 100 from 198.18.0.11");
    assertThat(network.router("B").role()).isEqualTo(VrrpRole.MASTER);
  }
}
