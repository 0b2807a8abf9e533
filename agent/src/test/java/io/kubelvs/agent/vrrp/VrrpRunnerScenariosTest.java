package io.kubelvs.agent.vrrp;

import static io.kubelvs.agent.vrrp.VrrpRunnerLab.GROUP;
import static io.kubelvs.agent.vrrp.VrrpRunnerLab.INSTANCE;
import static io.kubelvs.agent.vrrp.VrrpRunnerLab.VIP;
import static io.kubelvs.agent.vrrp.VrrpRunnerLab.VRID;
import static io.kubelvs.agent.vrrp.VrrpRunnerLab.config;
import static io.kubelvs.agent.vrrp.VrrpRunnerLab.v3;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.netlink.CidrAddress;
import io.kubelvs.agent.sys.RawIpSocket;
import io.kubelvs.agent.sys.RawIpSocketOptions;
import io.kubelvs.agent.testing.NetnsLab;
import io.kubelvs.agent.testing.NetnsLab.Host;
import io.kubelvs.agent.testing.NoLeftoverNamespaces;
import io.kubelvs.agent.vrrp.VrrpRunnerCounters.ReceiveDrop;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link VrrpRunner} in the setups beyond one IPv4 multicast instance: VRRPv3 over IPv6 with
 * unsolicited neighbour advertisements, unicast peers, two instances on one interface, and a
 * refusal of the kernel that holds an instance in FAULT until it goes away.
 */
@ExtendWith(NoLeftoverNamespaces.class)
class VrrpRunnerScenariosTest {
  static final Duration ADVERT = Duration.ofMillis(50);
  static final Duration WAIT = Duration.ofSeconds(5);

  /** From RFC 5180's IPv6 benchmarking range, the counterpart of 198.18.0.0/15. */
  static final String VIP6_TEXT = "2001:2::50";

  static final InetAddress VIP6 = CidrAddress.parse(VIP6_TEXT).address();

  @RegisterExtension final VrrpRunnerLab lab = VrrpRunnerLab.perTest(3);

  @Test
  void ipv6ElectsOverFf02Colon12AndTheClientFollowsTheNeighbourAdvertisements() throws Exception {
    Host c = lab.host("c");
    c.ip("-6", "address", "add", "2001:2::13/64", "dev", "v0");
    VrrpRunner a = lab.start("a", ipv6(100));
    lab.awaitRole(a, VrrpRole.MASTER, WAIT);
    VrrpRunner b = lab.start("b", ipv6(98));
    lab.awaitRole(b, VrrpRole.BACKUP, WAIT);
    assertThat(ipv6Vip("a")).as(addresses6("a")).isTrue();
    assertThat(ipv6Vip("b")).as(addresses6("b")).isFalse();
    VrrpRunnerLab.await(
        () -> b.counters(INSTANCE).count(VrrpCounter.ADVERTS_RECEIVED) > 0,
        WAIT,
        "b hears a's adverts on ff02::12");

    c.ip(
        "-6",
        "neigh",
        "replace",
        VIP6_TEXT,
        "lladdr",
        "02:00:00:00:00:99",
        "dev",
        "v0",
        "nud",
        "stale");
    lab.host("a").setCarrier(false);

    lab.awaitRole(b, VrrpRole.MASTER, WAIT);
    assertThat(ipv6Vip("b")).isTrue();
    VrrpRunnerLab.await(
        () -> neighbour6().contains(lab.host("b").mac().toString()),
        WAIT,
        "c's entry for the IPv6 VIP follows b's unsolicited NA: " + neighbour6());
  }

  @Test
  void unicastPeersElectWithoutMulticastAndANonPeerIsDroppedAndCounted() throws Exception {
    Host a = lab.host("a");
    Host b = lab.host("b");
    VrrpRunner ra = lab.start("a", unicast(100, b.address()));
    lab.awaitRole(ra, VrrpRole.MASTER, WAIT);
    VrrpRunner rb = lab.start("b", unicast(98, a.address()));
    lab.awaitRole(rb, VrrpRole.BACKUP, WAIT);
    VrrpRunnerLab.sleep(ADVERT.multipliedBy(5));
    assertThat(rb.role(INSTANCE)).isEqualTo(VrrpRole.BACKUP);
    assertThat(rb.counters(INSTANCE).count(VrrpCounter.ADVERTS_RECEIVED)).isPositive();

    // c, not a peer, claims the VRID with a higher priority, straight to b.
    sendFromC(VrrpPacket.v3(VRID, 200, 5, List.of(VIP)), b.address());

    VrrpRunnerLab.await(
        () -> rb.counters(INSTANCE).dropped(ReceiveDrop.NOT_A_PEER) == 1,
        WAIT,
        "b counts c's advert as from no peer");
    assertThat(rb.role(INSTANCE)).isEqualTo(VrrpRole.BACKUP);
    assertThat(ra.role(INSTANCE)).isEqualTo(VrrpRole.MASTER);

    a.setCarrier(false);
    lab.awaitRole(rb, VrrpRole.MASTER, WAIT);
    assertThat(lab.ipAddrShowsVip("b")).isTrue();
  }

  @Test
  void twoInstancesOnOneInterfaceWithCrossedPrioritiesAreActiveActive() throws Exception {
    InetAddress vip2 = CidrAddress.parse("198.18.0.51").address();
    VrrpRunner a = lab.start("a", twoInstances(100, 98, vip2));
    VrrpRunner b = lab.start("b", twoInstances(98, 100, vip2));

    lab.awaitRole(a, VrrpRole.MASTER, WAIT);
    VrrpRunnerLab.await(() -> b.role("VI_2") == VrrpRole.MASTER, WAIT, "b masters VI_2");
    VrrpRunnerLab.sleep(ADVERT.multipliedBy(5));
    assertThat(a.role("VI_2")).isEqualTo(VrrpRole.BACKUP);
    assertThat(b.role(INSTANCE)).isEqualTo(VrrpRole.BACKUP);
    assertThat(addresses("a")).contains(" 198.18.0.50/32 ").doesNotContain(" 198.18.0.51/32 ");
    assertThat(addresses("b")).contains(" 198.18.0.51/32 ").doesNotContain(" 198.18.0.50/32 ");

    b.close();

    VrrpRunnerLab.await(() -> a.role("VI_2") == VrrpRole.MASTER, WAIT, "a takes VI_2 over");
    assertThat(addresses("a")).contains(" 198.18.0.50/32 ").contains(" 198.18.0.51/32 ");
  }

  @Test
  void aRefusedVipHoldsTheInstanceInFaultUntilTheKernelAcceptsItAgain() throws Exception {
    Host a = lab.host("a");
    Duration advert = Duration.ofMillis(500);
    VrrpRunner ra = lab.start("a", ipv6(100, advert));
    // With IPv6 off on v0 the kernel refuses the VIP (and the link-local source of adverts).
    a.sysctl("net.ipv6.conf.v0.disable_ipv6", "1");

    VrrpRunnerLab.await(() -> ra.role(INSTANCE) == VrrpRole.FAULT, WAIT, "FAULT after the error");
    StateChange fault =
        lab.changes("a").stream().filter(c -> c.to() == VrrpRole.FAULT).findFirst().orElseThrow();
    assertThat(fault.from()).isEqualTo(VrrpRole.MASTER);
    assertThat(fault.reason()).startsWith("I/O error: AddVips: RTM_NEWADDR").contains("EACCES");
    assertThat(ipv6Vip("a")).isFalse();

    a.sysctl("net.ipv6.conf.v0.disable_ipv6", "0");

    lab.awaitRole(ra, VrrpRole.MASTER, WAIT.multipliedBy(2));
    assertThat(ipv6Vip("a")).isTrue();
    assertThat(lab.changes("a").stream().filter(c -> c.to() == VrrpRole.FAULT)).hasSize(1);
  }

  private static VrrpRunnerConfig ipv6(int priority) {
    return ipv6(priority, ADVERT);
  }

  private static VrrpRunnerConfig ipv6(int priority, Duration advert) {
    VrrpInstanceConfig instance =
        VrrpInstanceConfig.builder(INSTANCE, VRID, VrrpRunnerConfig.UNRESOLVED_PRIMARY)
            .version(3)
            .priority(priority)
            .advertInterval(advert)
            .virtualAddresses(VIP6)
            .build();
    return VrrpRunnerConfig.of(NetnsLab.INTERFACE, StandardProtocolFamily.INET6, List.of(instance));
  }

  private static VrrpRunnerConfig unicast(int priority, InetAddress peer) {
    return config(v3(priority, ADVERT).unicastPeers(peer).build());
  }

  private static VrrpRunnerConfig twoInstances(int first, int second, InetAddress vip2) {
    VrrpInstanceConfig vi1 = v3(first, ADVERT).build();
    VrrpInstanceConfig vi2 =
        VrrpInstanceConfig.builder("VI_2", VRID + 1, VrrpRunnerConfig.UNRESOLVED_PRIMARY)
            .version(3)
            .priority(second)
            .advertInterval(ADVERT)
            .virtualAddresses(vip2)
            .build();
    return VrrpRunnerConfig.of(NetnsLab.INTERFACE, StandardProtocolFamily.INET, List.of(vi1, vi2))
        .withGroup(GROUP);
  }

  private boolean ipv6Vip(String host) {
    return addresses6(host).contains(" " + VIP6_TEXT + "/128 ");
  }

  private String addresses6(String host) {
    return lab.host(host).ip("-o", "-6", "address", "show", "dev", "v0");
  }

  private String addresses(String host) {
    return lab.host(host).ip("-o", "-4", "address", "show", "dev", "v0");
  }

  private String neighbour6() {
    return lab.host("c").ip("-6", "neigh", "show", VIP6_TEXT, "dev", "v0");
  }

  private void sendFromC(VrrpPacket packet, InetAddress to) throws Exception {
    Host c = lab.host("c");
    RawIpSocketOptions options =
        RawIpSocketOptions.vrrp(StandardProtocolFamily.INET, c.interfaceName(), c.interfaceIndex());
    try (RawIpSocket socket = c.call(() -> RawIpSocket.open(options))) {
      socket.send(packet.encode(c.address(), to), to);
    }
  }
}
