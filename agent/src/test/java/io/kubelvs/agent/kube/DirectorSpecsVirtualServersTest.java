package io.kubelvs.agent.kube;

import static io.kubelvs.agent.kube.TestDirectors.director;
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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code spec.virtualServers} as the engine's virtual servers, and every way one is refused. */
class DirectorSpecsVirtualServersTest {

  private static VirtualServerConfig only(String virtualServer) throws DirectorSpecException {
    NodeConfig config = map(withVirtualServer(virtualServer)).config();
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
            """
            name: dns
            vrrpInstance: VI_1
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
            """);

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
                      - {name: web/b/443-tcp, vrrpInstance: VI_1, vip: 198.18.0.50, port: 443, scheduler: rr}
                      - {name: web/a/80-tcp, vrrpInstance: VI_1, vip: 198.18.0.50, port: 80, scheduler: rr}
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

  /** A virtual server named web on 198.18.0.50:80, VI_1's VIP, with {@code extra} fields. */
  private static String web(String extra) {
    return "name: web\nvrrpInstance: VI_1\nvip: 198.18.0.50\nport: 80\nscheduler: rr\n" + extra;
  }

  static Stream<Arguments> refusedVirtualServers() {
    return Stream.of(
        Arguments.of(
            "both vip and fwmark",
            "name: web\nvip: 198.18.0.50\nfwmark: 1\nscheduler: rr",
            "spec.virtualServers[web].fwmark: set together with vip; a service is matched by"
                + " address and port or by firewall mark"),
        Arguments.of(
            "neither vip nor fwmark",
            "name: web\nscheduler: rr",
            "spec.virtualServers[web]: set vip and port, or fwmark"),
        Arguments.of(
            "a vip without port",
            "name: web\nvip: 198.18.0.50\nscheduler: rr",
            "spec.virtualServers[web].port: missing"),
        Arguments.of(
            "an ipFamily the vip is not",
            "name: web\nvip: 198.18.0.50\nport: 80\nipFamily: IPv6\nscheduler: rr",
            "spec.virtualServers[web].ipFamily: IPv6 does not match the vip 198.18.0.50"),
        Arguments.of(
            "a fwmark service with a port",
            "name: web\nfwmark: 1\nport: 80\nscheduler: rr",
            "spec.virtualServers[web].port: does not apply to a fwmark service; its packets keep"
                + " theirs"),
        Arguments.of(
            "a fwmark service with a protocol",
            "name: web\nfwmark: 1\nprotocol: UDP\nscheduler: rr",
            "spec.virtualServers[web].protocol: does not apply to a fwmark service; the mark"
                + " matches any protocol"),
        Arguments.of(
            "no scheduler",
            "name: web\nvip: 198.18.0.50\nport: 80",
            "spec.virtualServers[web].scheduler: missing"),
        Arguments.of(
            "an instance that does not exist",
            "name: web\nvrrpInstance: VI_9\nvip: 198.18.0.50\nport: 80\nscheduler: rr",
            "spec.virtualServers[web].vrrpInstance: no VRRP instance \"VI_9\" in"
                + " spec.vrrpInstances"),
        Arguments.of(
            "a vip its instance does not hold",
            "name: web\nvrrpInstance: VI_1\nvip: 198.18.0.60\nport: 80\nscheduler: rr",
            "spec.virtualServers[web].vrrpInstance: VRRP instance VI_1 does not hold the vip"
                + " 198.18.0.60, so this node would never receive its traffic by VRRP"),
        Arguments.of(
            "real servers forwarded differently",
            web(
                """
                realServers:
                  - {address: 198.18.0.101, port: 80, forwarding: DR}
                  - {address: 198.18.0.102, port: 8080, forwarding: NAT}
                """),
            "spec.virtualServers[web].realServers[1].forwarding: NAT differs from"
                + " spec.virtualServers[web].realServers[0].forwarding DR; the engine forwards to"
                + " every real server of a virtual server alike (keepalived lb_kind)"),
        Arguments.of(
            "a sorry server forwarded otherwise",
            web(
                """
                realServers:
                  - {address: 198.18.0.101, port: 80, forwarding: DR}
                sorryServer: {address: 198.18.0.9, port: 8080, forwarding: NAT}
                """),
            "spec.virtualServers[web].sorryServer.forwarding: NAT differs from"
                + " spec.virtualServers[web].realServers[0].forwarding DR; the engine forwards to"
                + " the sorry server as to the real servers"),
        Arguments.of(
            "a DR real server on another port",
            web("realServers:\n  - {address: 198.18.0.101, port: 8080, forwarding: DR}"),
            "spec.virtualServers[web].realServers[0]: IPVS service 198.18.0.50:80/TCP, real server"
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
            "spec.virtualServers[web].realServers[1]: same address and port as realServers[0]"),
        Arguments.of(
            "a real server without port on an address service",
            web("realServers:\n  - {address: 198.18.0.101}"),
            "spec.virtualServers[web].realServers[0].port: missing"),
        Arguments.of(
            "a connection threshold",
            web("realServers:\n  - {address: 198.18.0.101, port: 80, upperThreshold: 100}"),
            "spec.virtualServers[web].realServers[0].upperThreshold: is not supported yet"
                + " (keepalived uthreshold)"),
        Arguments.of(
            "a weight above the kernel's",
            web("realServers:\n  - {address: 198.18.0.101, port: 80, weight: 70000}"),
            "spec.virtualServers[web].realServers[0].weight: must be within 0..65535, got 70000"),
        Arguments.of(
            "a tunnel without TUN forwarding",
            web("tunnel: {type: ipip}\nrealServers:\n  - {address: 198.18.0.101, port: 80}"),
            "spec.virtualServers[web].tunnel: applies to TUN forwarding only; no real server uses"
                + " it"),
        Arguments.of(
            "a GRE tunnel",
            web(
                "tunnel: {type: gre}\nrealServers:\n"
                    + "  - {address: 198.18.0.101, port: 80, forwarding: TUN}"),
            "spec.virtualServers[web].tunnel.type: gre is not supported yet; the engine tunnels by"
                + " ipip"),
        Arguments.of(
            "one-packet scheduling of TCP",
            web("onePacketScheduling: true"),
            "spec.virtualServers[web].onePacketScheduling: needs protocol UDP, got TCP (keepalived"
                + " ops)"),
        Arguments.of(
            "a flag of another scheduler",
            web("schedulerFlags: [sh-port]"),
            "spec.virtualServers[web].schedulerFlags[0]: sh-port is a flag of the sh scheduler, not"
                + " of rr"),
        Arguments.of(
            "a persistence of part of a second",
            web("persistence: {timeout: 1500ms}"),
            "spec.virtualServers[web].persistence.timeout: must be whole seconds, 1s or more, got"
                + " 1500ms"),
        Arguments.of(
            "an IPv6 prefix length as an IPv4 service's netmask",
            web("persistence: {netmask: \"24\"}"),
            "spec.virtualServers[web].persistence.netmask: \"24\" is not an IPv4 netmask such as"
                + " 255.255.255.0, as an IPv4 service needs"),
        Arguments.of(
            "a quorum of 0",
            web("quorum: 0"),
            "spec.virtualServers[web].quorum: must be 1 to 2147483647, got 0"),
        Arguments.of(
            "a hysteresis not below the quorum",
            web("hysteresis: 1"),
            "spec.virtualServers[web].hysteresis: must be less than the quorum 1, got 1"),
        Arguments.of(
            "all ports without persistence",
            "name: web\nvip: 198.18.0.50\nport: 0\nscheduler: rr",
            "spec.virtualServers[web]: IPVS service 198.18.0.50:0/TCP: port 0 (all ports) needs"
                + " persistence"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedVirtualServers")
  void aVirtualServerTheEngineCannotRunIsRefusedAtItsPath(
      String what, String virtualServer, String problem) {
    assertThat(problems(withVirtualServer(virtualServer))).containsExactly(problem);
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
}
