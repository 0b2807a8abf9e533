package io.kubelvs.agent.kube;

import static io.kubelvs.agent.kube.TestDirectors.director;
import static io.kubelvs.agent.kube.TestDirectors.inInstance;
import static io.kubelvs.agent.kube.TestDirectors.map;
import static io.kubelvs.agent.kube.TestDirectors.problems;
import static io.kubelvs.agent.kube.TestDirectors.withVirtualServer;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.check.RealServerCheck;
import io.kubelvs.agent.check.SorryServer;
import io.kubelvs.agent.check.VirtualServerChecks;
import io.kubelvs.agent.config.NodeConfig;
import io.kubelvs.agent.config.Notifications;
import io.kubelvs.agent.config.VirtualServerConfig;
import io.kubelvs.agent.ipvs.AddressFamily;
import io.kubelvs.agent.ipvs.Forwarding;
import io.kubelvs.agent.ipvs.IpvsProtocol;
import io.kubelvs.agent.ipvs.IpvsService;
import io.kubelvs.agent.ipvs.ServiceFlags;
import io.kubelvs.agent.ipvs.ServiceKey;
import io.kubelvs.api.v1alpha1.Director;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each VRRP instance's {@code virtualServers} and {@code spec.virtualServers} as the engine's
 * virtual servers, and every way one is refused.
 */
class DirectorSpecsVirtualServersTest {
  /** The path of the virtual server web nested in VI_1. */
  private static final String WEB_IN_VI_1 = "spec.vrrpInstances[VI_1].virtualServers[web]";

  private static VirtualServerConfig only(String virtualServer) throws DirectorSpecException {
    return only(withVirtualServer(virtualServer));
  }

  private static VirtualServerConfig only(Director director) throws DirectorSpecException {
    NodeConfig config = map(director).config();
    assertThat(config.virtualServers()).hasSize(1);
    return config.virtualServers().get(0);
  }

  private static InetSocketAddress at(String address, int port) throws Exception {
    return new InetSocketAddress(InetAddress.getByName(address), port);
  }

  @Test
  void everyFieldOfAnAddressServiceMaps() throws Exception {
    VirtualServerConfig vs =
        only(
            inInstance(
                """
                name: dns
                vip: 198.18.0.50
                port: 53
                protocol: UDP
                ipFamily: IPv4
                scheduler: sh
                schedulerFlags: [sh-port, flag-1]
                persistence: {timeout: 10m, netmask: 255.255.255.0}
                onePacketScheduling: true
                realServers:
                  - {address: 198.18.0.101, port: 5353, weight: 3, forwarding: NAT, upperThreshold: 0}
                  - {address: 198.18.0.102, port: 5353}
                quorum: 2
                hysteresis: 1
                omega: true
                inhibitOnFailure: true
                sorryServer: {address: 198.18.0.9, port: 53, inhibit: true}
                """));

    ServiceKey key =
        new ServiceKey.Address(IpvsProtocol.UDP, InetAddress.getByName("198.18.0.50"), 53);
    assertThat(vs.service())
        .isEqualTo(
            new IpvsService(
                key,
                "sh",
                ServiceFlags.SH_PORT
                    | ServiceFlags.SCHED1
                    | ServiceFlags.ONE_PACKET
                    | ServiceFlags.PERSISTENT,
                600,
                0xFFFF_FF00));
    assertThat(vs.forwarding()).isEqualTo(Forwarding.NAT);
    VirtualServerChecks checks = vs.checks();
    assertThat(checks.id()).isEqualTo("198.18.0.50:53/UDP");
    assertThat(checks.quorum()).isEqualTo(2);
    assertThat(checks.hysteresis()).isEqualTo(1);
    assertThat(checks.omega()).isTrue();
    assertThat(checks.sorryServer()).contains(new SorryServer(at("198.18.0.9", 53), true));
    assertThat(checks.realServers())
        .containsExactly(
            RealServerCheck.unchecked(at("198.18.0.101", 5353), 3).withInhibitOnFailure(true),
            RealServerCheck.unchecked(at("198.18.0.102", 5353), 1).withInhibitOnFailure(true));
  }

  @Test
  void aFwmarkServiceTakesItsFamilyFromIpFamilyAndItsRealServersKeepThePacketsPort()
      throws Exception {
    VirtualServerConfig vs =
        only(
            """
            name: marked
            fwmark: 7
            ipFamily: IPv6
            scheduler: wlc
            persistence: {netmask: "64"}
            realServers:
              - {address: "2001:db8::101", forwarding: DR}
            """);

    assertThat(vs.service())
        .isEqualTo(
            new IpvsService(
                new ServiceKey.Fwmark(AddressFamily.INET6, 7),
                "wlc",
                ServiceFlags.PERSISTENT,
                360,
                64));
    assertThat(vs.forwarding()).isEqualTo(Forwarding.DR);
    assertThat(vs.checks().realServers().get(0).realServer()).isEqualTo(at("2001:db8::101", 0));
  }

  @Test
  void realServersWithoutForwardingAreForwardedAsTheOthersAndNatWhenNoneSays() throws Exception {
    assertThat(
            only("""
                    name: web
                    vip: 198.18.0.50
                    port: 80
                    scheduler: rr
                    realServers:
                      - {address: 198.18.0.101, port: 80}
                      - {address: 198.18.0.102, port: 80, forwarding: DR}
                    sorryServer: {address: 127.0.0.1, port: 80}
                    """)
                .forwarding())
        .isEqualTo(Forwarding.DR);
    assertThat(
            only("""
                    name: web
                    vip: 198.18.0.50
                    port: 80
                    scheduler: rr
                    realServers:
                      - {address: 198.18.0.101, port: 8080}
                    """)
                .forwarding())
        .isEqualTo(Forwarding.NAT);
    assertThat(
            only("""
                    name: web
                    vip: 198.18.0.50
                    port: 80
                    scheduler: rr
                    tunnel: {type: ipip}
                    realServers: []
                    sorryServer: {address: 198.18.0.9, port: 80, forwarding: TUN}
                    """)
                .forwarding())
        .isEqualTo(Forwarding.TUN);
  }

  @Test
  void theEnginesIdsAreKnownByTheSpecsNamesInSpecOrder() throws Exception {
    MappedDirector mapped =
        map(
            director(
                TestDirectors.INSTANCE
                    + """
                        virtualServers:
                          - {name: web/b/443-tcp, vip: 198.18.0.50, port: 443, scheduler: rr}
                          - {name: web/a/80-tcp, vip: 198.18.0.50, port: 80, scheduler: rr}
                    virtualServers:
                      - {name: marked, fwmark: 9, scheduler: rr}
                    """));

    assertThat(mapped.virtualServerIdsByName())
        .containsExactly(
            Map.entry("web/b/443-tcp", "198.18.0.50:443/TCP"),
            Map.entry("web/a/80-tcp", "198.18.0.50:80/TCP"),
            Map.entry("marked", "fwmark 9/IPv4"));
    assertThat(mapped.config().virtualServers())
        .extracting(vs -> vs.checks().id())
        .containsExactlyElementsOf(mapped.virtualServerIdsByName().values());
  }

  @Test
  void realServersMailAndVirtualServersDoNotAsKeepalivedsDefaultsHaveIt() throws Exception {
    Notifications notifications =
        map(withVirtualServer(
                """
                name: web
                vip: 198.18.0.50
                port: 80
                scheduler: rr
                realServers:
                  - {address: 198.18.0.101, port: 80}
                """))
            .config()
            .notifications();

    assertThat(notifications.virtualServers())
        .containsExactly(
            Map.entry(
                "198.18.0.50:80/TCP",
                new Notifications.VirtualServerAlerts(
                    false,
                    Optional.empty(),
                    Optional.empty(),
                    Map.of(
                        at("198.18.0.101", 80),
                        new Notifications.RealServerAlerts(
                            true, Optional.empty(), Optional.empty())))));
    assertThat(notifications.instances()).isEmpty();
    assertThat(notifications.smtpHeloName()).isEqualTo("director-1");
  }

  /** A virtual server named web on 198.18.0.50:80 with {@code extra} fields, in VI_1. */
  private static Director web(String extra) {
    return inInstance("name: web\nvip: 198.18.0.50\nport: 80\nscheduler: rr\n" + extra);
  }

  static Stream<Arguments> refusedVirtualServers() {
    return Stream.of(
        Arguments.of(
            "both vip and fwmark",
            withVirtualServer("name: web\nvip: 198.18.0.50\nfwmark: 1\nscheduler: rr"),
            "spec.virtualServers[web].fwmark: set together with vip; a service is matched by"
                + " address and port or by firewall mark"),
        Arguments.of(
            "neither vip nor fwmark",
            withVirtualServer("name: web\nscheduler: rr"),
            "spec.virtualServers[web]: set vip and port, or fwmark"),
        Arguments.of(
            "a vip without port",
            withVirtualServer("name: web\nvip: 198.18.0.50\nscheduler: rr"),
            "spec.virtualServers[web].port: missing"),
        Arguments.of(
            "an ipFamily the vip is not",
            withVirtualServer(
                "name: web\nvip: 198.18.0.50\nport: 80\nipFamily: IPv6\nscheduler: rr"),
            "spec.virtualServers[web].ipFamily: IPv6 does not match the vip 198.18.0.50"),
        Arguments.of(
            "a fwmark service with a port",
            withVirtualServer("name: web\nfwmark: 1\nport: 80\nscheduler: rr"),
            "spec.virtualServers[web].port: does not apply to a fwmark service; its packets keep"
                + " theirs"),
        Arguments.of(
            "a fwmark service with a protocol",
            withVirtualServer("name: web\nfwmark: 1\nprotocol: UDP\nscheduler: rr"),
            "spec.virtualServers[web].protocol: does not apply to a fwmark service; the mark"
                + " matches any protocol"),
        Arguments.of(
            "no scheduler",
            withVirtualServer("name: web\nvip: 198.18.0.50\nport: 80"),
            "spec.virtualServers[web].scheduler: missing"),
        Arguments.of(
            "a vip its instance does not hold",
            inInstance("name: web\nvip: 198.18.0.60\nport: 80\nscheduler: rr"),
            WEB_IN_VI_1
                + ".vip: 198.18.0.60 is not a VIP of its VRRP instance VI_1, so this node would"
                + " never receive its traffic by VRRP"),
        Arguments.of(
            "real servers forwarded differently",
            web(
                """
                realServers:
                  - {address: 198.18.0.101, port: 80, forwarding: DR}
                  - {address: 198.18.0.102, port: 8080, forwarding: NAT}
                """),
            WEB_IN_VI_1
                + ".realServers[1].forwarding: NAT differs from "
                + WEB_IN_VI_1
                + ".realServers[0].forwarding DR; the engine forwards to every real server of a"
                + " virtual server alike (keepalived lb_kind)"),
        Arguments.of(
            "a sorry server forwarded otherwise",
            web(
                """
                realServers:
                  - {address: 198.18.0.101, port: 80, forwarding: DR}
                sorryServer: {address: 198.18.0.9, port: 8080, forwarding: NAT}
                """),
            WEB_IN_VI_1
                + ".sorryServer.forwarding: NAT differs from "
                + WEB_IN_VI_1
                + ".realServers[0].forwarding DR; the engine forwards to the sorry server as to the"
                + " real servers"),
        Arguments.of(
            "a DR real server on another port",
            web("realServers:\n  - {address: 198.18.0.101, port: 8080, forwarding: DR}"),
            WEB_IN_VI_1
                + ".realServers[0]: IPVS service 198.18.0.50:80/TCP, real server"
                + " 198.18.0.101:8080: DR keeps the packet's destination port, so the real"
                + " server's port must be 80, the service's"),
        Arguments.of(
            "a real server listed twice",
            web(
                """
                realServers:
                  - {address: 198.18.0.101, port: 80}
                  - {address: 198.18.0.101, port: 80, weight: 2}
                """),
            WEB_IN_VI_1 + ".realServers[1]: same address and port as realServers[0]"),
        Arguments.of(
            "a real server without port on an address service",
            web("realServers:\n  - {address: 198.18.0.101}"),
            WEB_IN_VI_1 + ".realServers[0].port: missing"),
        Arguments.of(
            "a connection threshold",
            web("realServers:\n  - {address: 198.18.0.101, port: 80, upperThreshold: 100}"),
            WEB_IN_VI_1
                + ".realServers[0].upperThreshold: is not supported yet (keepalived uthreshold)"),
        Arguments.of(
            "a weight above the kernel's",
            web("realServers:\n  - {address: 198.18.0.101, port: 80, weight: 70000}"),
            WEB_IN_VI_1 + ".realServers[0].weight: must be within 0..65535, got 70000"),
        Arguments.of(
            "a tunnel without TUN forwarding",
            web("tunnel: {type: ipip}\nrealServers:\n  - {address: 198.18.0.101, port: 80}"),
            WEB_IN_VI_1 + ".tunnel: applies to TUN forwarding only; no real server uses it"),
        Arguments.of(
            "a GRE tunnel",
            web(
                "tunnel: {type: gre}\nrealServers:\n"
                    + "  - {address: 198.18.0.101, port: 80, forwarding: TUN}"),
            WEB_IN_VI_1 + ".tunnel.type: gre is not supported yet; the engine tunnels by ipip"),
        Arguments.of(
            "one-packet scheduling of TCP",
            web("onePacketScheduling: true"),
            WEB_IN_VI_1 + ".onePacketScheduling: needs protocol UDP, got TCP (keepalived ops)"),
        Arguments.of(
            "a flag of another scheduler",
            web("schedulerFlags: [sh-port]"),
            WEB_IN_VI_1 + ".schedulerFlags[0]: sh-port is a flag of the sh scheduler, not of rr"),
        Arguments.of(
            "a persistence of part of a second",
            web("persistence: {timeout: 1500ms}"),
            WEB_IN_VI_1 + ".persistence.timeout: must be whole seconds, 1s or more, got 1500ms"),
        Arguments.of(
            "an IPv6 prefix length as an IPv4 service's netmask",
            web("persistence: {netmask: \"24\"}"),
            WEB_IN_VI_1
                + ".persistence.netmask: \"24\" is not an IPv4 netmask such as"
                + " 255.255.255.0, as an IPv4 service needs"),
        Arguments.of(
            "a quorum of 0",
            web("quorum: 0"),
            WEB_IN_VI_1 + ".quorum: must be 1 to 2147483647, got 0"),
        Arguments.of(
            "a hysteresis not below the quorum",
            web("hysteresis: 1"),
            WEB_IN_VI_1 + ".hysteresis: must be less than the quorum 1, got 1"),
        Arguments.of(
            "all ports without persistence",
            withVirtualServer("name: web\nvip: 198.18.0.50\nport: 0\nscheduler: rr"),
            "spec.virtualServers[web]: IPVS service 198.18.0.50:0/TCP: port 0 (all ports) needs"
                + " persistence"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedVirtualServers")
  void aVirtualServerTheEngineCannotRunIsRefusedAtItsPath(
      String what, Director director, String problem) {
    assertThat(problems(director)).containsExactly(problem);
  }

  @Test
  void twoVirtualServersWithOneNameOrOneServiceAreRefused() {
    assertThat(
            problems(
                director(
                    TestDirectors.INSTANCE
                        + """
                        virtualServers:
                          - {name: web, vip: 198.18.0.50, port: 80, scheduler: rr}
                          - {name: web, vip: 198.18.0.50, port: 443, scheduler: rr}
                          - {name: other, vip: 198.18.0.50, port: 80, scheduler: wrr}
                        """)))
        .containsExactly(
            "spec.virtualServers[1].name: \"web\" is already the name of spec.virtualServers[0]",
            "spec.virtualServers[other]: IPVS service 198.18.0.50:80/TCP is also"
                + " spec.virtualServers[web]");
  }

  /**
   * VI_1 holding 198.18.0.50 and VI_2 holding 198.18.0.60, with the virtual servers listed in each
   * (YAML list entries) and {@code spec} below them in the spec.
   */
  private static Director twoInstances(String vi1Servers, String vi2Servers, String spec) {
    return director(
        """
        vrrpInstances:
          - name: VI_1
            interface: {name: eth0}
            vrid: 1
            priority: 100
            version: 3
            advertInterval: 1s
            vips: [198.18.0.50]
            virtualServers:
        %s
          - name: VI_2
            interface: {name: eth0}
            vrid: 2
            priority: 100
            version: 3
            advertInterval: 1s
            vips: [198.18.0.60]
            virtualServers:
        %s
        %s"""
            .formatted(indent(vi1Servers, 6), indent(vi2Servers, 6), spec));
  }

  private static String indent(String lines, int spaces) {
    return lines.strip().indent(spaces).stripTrailing();
  }

  @Test
  void anAddressServiceInAnInstanceNotHoldingItsVipIsRefusedAtItsVip() {
    // VI_1 holds 198.18.0.50, but the service is in VI_2, which would not receive it.
    assertThat(
            problems(
                twoInstances(
                    "- {name: a, vip: 198.18.0.50, port: 80, scheduler: rr}",
                    "- {name: b, vip: 198.18.0.50, port: 443, scheduler: rr}",
                    "")))
        .containsExactly(
            "spec.vrrpInstances[VI_2].virtualServers[b].vip: 198.18.0.50 is not a VIP of its VRRP"
                + " instance VI_2, so this node would never receive its traffic by VRRP");
  }

  @Test
  void eachInstancesServersThenTheSpecsOwnFwmarkServerAllReachTheEngineInThatOrder()
      throws Exception {
    MappedDirector mapped =
        map(
            twoInstances(
                """
                - {name: a/443, vip: 198.18.0.50, port: 443, scheduler: rr}
                - {name: a/80, vip: 198.18.0.50, port: 80, scheduler: rr}
                """,
                "- {name: b/53, vip: 198.18.0.60, port: 53, protocol: UDP, scheduler: rr}",
                """
                virtualServers:
                  - {name: marked, fwmark: 9, scheduler: wlc}
                """));

    assertThat(mapped.virtualServerIdsByName())
        .containsExactly(
            Map.entry("a/443", "198.18.0.50:443/TCP"),
            Map.entry("a/80", "198.18.0.50:80/TCP"),
            Map.entry("b/53", "198.18.0.60:53/UDP"),
            Map.entry("marked", "fwmark 9/IPv4"));
    assertThat(mapped.config().virtualServers())
        .extracting(vs -> vs.checks().id())
        .containsExactlyElementsOf(mapped.virtualServerIdsByName().values());
    assertThat(mapped.config().notifications().virtualServers())
        .containsOnlyKeys(mapped.virtualServerIdsByName().values());
  }

  @Test
  void oneServiceInTwoInstancesOrInAnInstanceAndTheSpecIsRefused() {
    assertThat(
            problems(
                twoInstances(
                    """
                    - {name: web, vip: 198.18.0.50, port: 80, scheduler: rr}
                    - {name: marked, fwmark: 9, scheduler: rr}
                    """,
                    "- {name: marked-again, fwmark: 9, scheduler: wlc}",
                    """
                    virtualServers:
                      - {name: other, vip: 198.18.0.50, port: 80, scheduler: wrr}
                    """)))
        .containsExactly(
            "spec.vrrpInstances[VI_2].virtualServers[marked-again]: IPVS service fwmark 9/IPv4 is"
                + " also spec.vrrpInstances[VI_1].virtualServers[marked]",
            "spec.virtualServers[other]: IPVS service 198.18.0.50:80/TCP is also"
                + " spec.vrrpInstances[VI_1].virtualServers[web]");
  }

  @Test
  void oneNameInTwoInstancesOrInAnInstanceAndTheSpecIsRefused() {
    assertThat(
            problems(
                twoInstances(
                    "- {name: web, vip: 198.18.0.50, port: 80, scheduler: rr}",
                    "- {name: web, vip: 198.18.0.60, port: 80, scheduler: rr}",
                    """
                    virtualServers:
                      - {name: web, fwmark: 9, scheduler: rr}
                    """)))
        .containsExactly(
            "spec.vrrpInstances[VI_2].virtualServers[0].name: \"web\" is already the name of"
                + " spec.vrrpInstances[VI_1].virtualServers[0]",
            "spec.virtualServers[0].name: \"web\" is already the name of"
                + " spec.vrrpInstances[VI_1].virtualServers[0]");
  }
}
