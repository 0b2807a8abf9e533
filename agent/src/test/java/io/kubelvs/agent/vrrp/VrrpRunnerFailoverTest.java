package io.kubelvs.agent.vrrp;

import static io.kubelvs.agent.vrrp.VrrpRunnerLab.INSTANCE;
import static io.kubelvs.agent.vrrp.VrrpRunnerLab.VIP;
import static io.kubelvs.agent.vrrp.VrrpRunnerLab.config;
import static io.kubelvs.agent.vrrp.VrrpRunnerLab.millis;
import static io.kubelvs.agent.vrrp.VrrpRunnerLab.v3;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.testing.NoLeftoverNamespaces;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two {@link VrrpRunner}s, a (priority 100) and b (98), on the real kernel in a namespace lab with
 * a client c: election, failover on link down, planned handover, preemption and the client's
 * neighbour table. VRRPv3 at 100 ms adverts keeps it fast.
 */
@ExtendWith(NoLeftoverNamespaces.class)
class VrrpRunnerFailoverTest {
  static final Duration ADVERT = Duration.ofMillis(100);

  /** The scheduler can stall a process ~140 ms on 2 vCPUs (TESTING.md); room for two of those. */
  static final Duration SCHEDULING_SLACK = Duration.ofMillis(300);

  static final Duration WAIT = Duration.ofSeconds(5);

  @RegisterExtension final VrrpRunnerLab lab = VrrpRunnerLab.perTest(3);

  /** a master, b backup, in that order so that a wins at once. */
  VrrpRunner[] electAThenB(boolean preempt) throws Exception {
    VrrpRunner a = lab.start("a", config(v3(100, ADVERT).preempt(preempt).build()));
    lab.awaitRole(a, VrrpRole.MASTER, WAIT);
    VrrpRunner b = lab.start("b", config(v3(98, ADVERT).preempt(preempt).build()));
    lab.awaitRole(b, VrrpRole.BACKUP, WAIT);
    return new VrrpRunner[] {a, b};
  }

  @Test
  void higherPriorityIsElectedAndOnlyTheMasterHoldsTheVip() throws Exception {
    VrrpRunner b = lab.start("b", config(v3(98, ADVERT).build()));
    VrrpRunner a = lab.start("a", config(v3(100, ADVERT).build()));

    lab.awaitRole(a, VrrpRole.MASTER, WAIT);
    lab.awaitRole(b, VrrpRole.BACKUP, WAIT);
    VrrpRunnerLab.sleep(ADVERT.multipliedBy(5));

    assertThat(a.role(INSTANCE)).isEqualTo(VrrpRole.MASTER);
    assertThat(b.role(INSTANCE)).isEqualTo(VrrpRole.BACKUP);
    assertThat(lab.ipAddrShowsVip("a")).isTrue();
    assertThat(lab.ipAddrShowsVip("b")).isFalse();
    assertThat(b.counters(INSTANCE).count(VrrpCounter.ADVERTS_RECEIVED)).isPositive();
  }

  @Test
  void linkDownOfTheMasterMovesTheVipWithinMasterDownInterval() throws Exception {
    VrrpRunner[] ab = electAThenB(true);
    Duration bound = MasterDownInterval.of(3, 98, ADVERT);

    long fault = System.nanoTime();
    lab.host("a").setCarrier(false);

    lab.awaitRole(ab[1], VrrpRole.MASTER, WAIT);
    long failover = lab.changeTo("b", VrrpRole.MASTER, fault).orElseThrow().monotonicNanos();
    System.out.printf(
        "VrrpRunner link-down failover: %.1f ms (Master_Down_Interval %.1f ms)%n",
        millis(failover - fault), millis(bound.toNanos()));
    assertThat(Duration.ofNanos(failover - fault)).isLessThan(bound.plus(SCHEDULING_SLACK));
    lab.awaitRole(ab[0], VrrpRole.FAULT, WAIT);
    assertThat(lab.ipAddrShowsVip("a")).isFalse();
    assertThat(lab.ipAddrShowsVip("b")).isTrue();
  }

  @Test
  void plannedHandOverNeverLeavesTheVipWithoutHolder() throws Exception {
    VrrpRunner[] ab = electAThenB(true);
    AtomicBoolean sampling = new AtomicBoolean(true);
    AtomicInteger samples = new AtomicInteger();
    AtomicInteger unheld = new AtomicInteger();
    Thread sampler =
        new Thread(
            () -> {
              while (sampling.get()) {
                // a first: a only lets go after b has added the VIP, so a gap seen is a real one.
                boolean held = lab.holdsVip("a") || lab.holdsVip("b");
                samples.incrementAndGet();
                if (!held) {
                  unheld.incrementAndGet();
                }
                VrrpRunnerLab.sleep(Duration.ofMillis(2));
              }
            });
    sampler.start();
    VrrpRunnerLab.sleep(ADVERT.multipliedBy(3));

    long start = System.nanoTime();
    ab[0].close();
    long closed = System.nanoTime();
    VrrpRunnerLab.sleep(ADVERT.multipliedBy(3));
    sampling.set(false);
    sampler.join();

    long bMaster = lab.changeTo("b", VrrpRole.MASTER, start).orElseThrow().monotonicNanos();
    System.out.printf(
        "VrrpRunner planned handover: b master after %.1f ms, close() returned after %.1f ms,"
            + " %d address samples, %d without holder%n",
        millis(bMaster - start), millis(closed - start), samples.get(), unheld.get());
    assertThat(samples.get()).isGreaterThan(50);
    assertThat(unheld.get()).isZero();
    assertThat(ab[1].role(INSTANCE)).isEqualTo(VrrpRole.MASTER);
    assertThat(lab.ipAddrShowsVip("a")).isFalse();
    assertThat(lab.ipAddrShowsVip("b")).isTrue();
  }

  @Test
  void restartedHigherPriorityTakesTheVipBack() throws Exception {
    VrrpRunner[] ab = electAThenB(true);
    ab[0].close();
    lab.awaitRole(ab[1], VrrpRole.MASTER, WAIT);

    long restart = System.nanoTime();
    VrrpRunner a = lab.start("a", config(v3(100, ADVERT).build()));

    lab.awaitRole(a, VrrpRole.MASTER, WAIT);
    lab.awaitRole(ab[1], VrrpRole.BACKUP, WAIT);
    long back = lab.changeTo("a", VrrpRole.MASTER, restart).orElseThrow().monotonicNanos();
    System.out.printf(
        "VrrpRunner preempt back: a master %.1f ms after restart%n", millis(back - restart));
    assertThat(lab.ipAddrShowsVip("a")).isTrue();
    assertThat(lab.ipAddrShowsVip("b")).isFalse();
  }

  @Test
  void nopreemptLeavesTheCurrentMasterInPlace() throws Exception {
    VrrpRunner[] ab = electAThenB(false);
    ab[0].close();
    lab.awaitRole(ab[1], VrrpRole.MASTER, WAIT);

    VrrpRunner a = lab.start("a", config(v3(100, ADVERT).preempt(false).build()));
    VrrpRunnerLab.sleep(MasterDownInterval.of(3, 100, ADVERT).multipliedBy(3));

    assertThat(a.role(INSTANCE)).isEqualTo(VrrpRole.BACKUP);
    assertThat(ab[1].role(INSTANCE)).isEqualTo(VrrpRole.MASTER);
    assertThat(lab.ipAddrShowsVip("a")).isFalse();
    assertThat(lab.ipAddrShowsVip("b")).isTrue();
  }

  @Test
  void clientNeighbourEntryFollowsTheGratuitousArps() throws Exception {
    lab.host("c").sysctl("net.ipv4.conf.all.arp_accept", "1");
    lab.host("c").sysctl("net.ipv4.conf.v0.arp_accept", "1");
    VrrpRunner[] ab = electAThenB(true);
    VrrpRunnerLab.await(
        () -> neighbour().contains(lab.host("a").mac().toString()),
        WAIT,
        "c learns a's MAC for the VIP: " + neighbour());
    // Past neigh locktime (1 s): an entry younger than that ignores a gratuitous ARP.
    VrrpRunnerLab.sleep(Duration.ofMillis(1100));

    lab.host("a").setCarrier(false);

    lab.awaitRole(ab[1], VrrpRole.MASTER, WAIT);
    VrrpRunnerLab.await(
        () -> neighbour().contains(lab.host("b").mac().toString()),
        WAIT,
        "c's entry for the VIP follows b: " + neighbour());
  }

  private String neighbour() {
    return lab.host("c").ip("neigh", "show", VIP.getHostAddress(), "dev", "v0");
  }
}
