package io.kubelvs.agent.vrrp;

import static io.kubelvs.agent.vrrp.VrrpRunnerLab.GROUP;
import static io.kubelvs.agent.vrrp.VrrpRunnerLab.INSTANCE;
import static io.kubelvs.agent.vrrp.VrrpRunnerLab.PASSWORD;
import static io.kubelvs.agent.vrrp.VrrpRunnerLab.VIP;
import static io.kubelvs.agent.vrrp.VrrpRunnerLab.VRID;
import static io.kubelvs.agent.vrrp.VrrpRunnerLab.config;
import static io.kubelvs.agent.vrrp.VrrpRunnerLab.v3;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.sys.RawIpSocket;
import io.kubelvs.agent.sys.RawIpSocketOptions;
import io.kubelvs.agent.testing.NetnsLab.Host;
import io.kubelvs.agent.testing.NoLeftoverNamespaces;
import io.kubelvs.agent.vrrp.VrrpRunnerCounters.ReceiveDrop;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The receive path of {@link VrrpRunner} on the real kernel: adverts a third host c forges are
 * dropped and counted, and VRRPv2 with keepalived's PASS authentication elects as v3 does.
 */
@ExtendWith(NoLeftoverNamespaces.class)
class VrrpRunnerReceiveTest {
  static final Duration WAIT = Duration.ofSeconds(8);

  @RegisterExtension final VrrpRunnerLab lab = VrrpRunnerLab.perTest(3);

  @Test
  void advertWithTtl64IsDroppedAndCountedAsBadTtl() throws Exception {
    VrrpRunner a = lab.start("a", config(v3(100, Duration.ofMillis(100)).build()));
    lab.awaitRole(a, VrrpRole.MASTER, WAIT);

    sendFromC(64, VrrpPacket.v3(VRID, 254, 10, List.of(VIP)));

    VrrpRunnerLab.await(
        () -> a.counters(INSTANCE).dropped(DropReason.BAD_TTL) == 1, WAIT, "one BAD_TTL drop");
    assertThat(a.role(INSTANCE)).isEqualTo(VrrpRole.MASTER);
  }

  @Test
  void advertForAnotherVridIsCountedByTheRunner() throws Exception {
    VrrpRunner a = lab.start("a", config(v3(100, Duration.ofMillis(100)).build()));
    lab.awaitRole(a, VrrpRole.MASTER, WAIT);

    sendFromC(255, VrrpPacket.v3(VRID + 1, 254, 10, List.of(VIP)));

    VrrpRunnerLab.await(
        () -> a.unattributedDrops().dropped(ReceiveDrop.UNKNOWN_VRID) == 1,
        WAIT,
        "one UNKNOWN_VRID drop");
    assertThat(a.role(INSTANCE)).isEqualTo(VrrpRole.MASTER);
  }

  @Test
  void v2WithPasswordElectsAndDropsAWrongPassword() throws Exception {
    VrrpRunner a = lab.start("a", config(v2(100)).withPassword(PASSWORD));
    lab.awaitRole(a, VrrpRole.MASTER, WAIT);
    VrrpRunner b = lab.start("b", config(v2(98)).withPassword(PASSWORD));
    lab.awaitRole(b, VrrpRole.BACKUP, WAIT);
    VrrpRunnerLab.await(
        () -> b.counters(INSTANCE).count(VrrpCounter.ADVERTS_RECEIVED) >= 2,
        WAIT,
        "b accepts a's authenticated adverts");

    // Priority 254 with the right password would take over; with the wrong one it must not count.
    sendFromC(255, VrrpPacket.v2WithPassword(VRID, 254, 1, "wrong", List.of(VIP)));
    sendFromC(255, VrrpPacket.v2(VRID, 254, 1, List.of(VIP)));

    // Each router reads the group on its own thread: wait for both, not one then the other.
    VrrpRunnerLab.await(
        () ->
            b.counters(INSTANCE).dropped(ReceiveDrop.AUTHENTICATION_MISMATCH) == 2
                && a.counters(INSTANCE).dropped(ReceiveDrop.AUTHENTICATION_MISMATCH) == 2,
        WAIT,
        "two authentication drops on b and on a");
    assertThat(a.role(INSTANCE)).isEqualTo(VrrpRole.MASTER);
    assertThat(b.role(INSTANCE)).isEqualTo(VrrpRole.BACKUP);
    assertThat(lab.ipAddrShowsVip("a")).isTrue();
    assertThat(lab.ipAddrShowsVip("b")).isFalse();
  }

  private static VrrpInstanceConfig v2(int priority) {
    return VrrpInstanceConfig.builder(INSTANCE, VRID, VrrpRunnerConfig.UNRESOLVED_PRIMARY)
        .version(2)
        .priority(priority)
        .advertInterval(Duration.ofSeconds(1))
        .virtualAddresses(VIP)
        .build();
  }

  /** Sends {@code packet} from host c to the group with this TTL. */
  private void sendFromC(int ttl, VrrpPacket packet) throws Exception {
    Host c = lab.host("c");
    RawIpSocketOptions options =
        RawIpSocketOptions.vrrp(StandardProtocolFamily.INET, c.interfaceName(), c.interfaceIndex())
            .withHopLimit(ttl);
    try (RawIpSocket socket = c.call(() -> RawIpSocket.open(options))) {
      socket.send(packet.encode(c.address(), GROUP), GROUP);
    }
  }
}
