package io.kubelvs.agent.kube;

import static io.kubelvs.agent.kube.TestDirectors.director;
import static io.kubelvs.agent.kube.TestDirectors.map;
import static io.kubelvs.agent.kube.TestDirectors.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.config.VrrpConfig;
import io.kubelvs.agent.netlink.CidrAddress;
import io.kubelvs.agent.vrrp.VrrpInstanceConfig;
import io.kubelvs.agent.vrrp.VrrpRunnerConfig;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code spec.vrrpInstances} as the VRRP core's runners, and every way the mapping refuses one. */
class DirectorSpecsVrrpTest {

  @Test
  void anInstanceWithOnlyTheRequiredFieldsTakesKeepalivedsDefaults() throws Exception {
    VrrpConfig vrrp = map(director(TestDirectors.INSTANCE)).config().vrrp();

    assertThat(vrrp.runners()).hasSize(1);
    VrrpRunnerConfig runner = vrrp.runners().get(0);
    assertThat(runner.interfaceName()).isEqualTo("eth0");
    assertThat(runner.family()).isEqualTo(StandardProtocolFamily.INET);
    assertThat(runner.group()).isEqualTo(VrrpRunnerConfig.IPV4_GROUP);
    assertThat(runner.password()).isEmpty();
    assertThat(runner.virtualAddresses()).containsExactly(CidrAddress.parse("198.18.0.50/32"));
    VrrpInstanceConfig instance = runner.instances().get(0);
    assertThat(instance.name()).isEqualTo("VI_1");
    assertThat(instance.version()).isEqualTo(2);
    assertThat(instance.vrid()).isEqualTo(99);
    assertThat(instance.priority()).isEqualTo(100);
    assertThat(instance.advertInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(instance.preempt()).isTrue();
    assertThat(instance.preemptDelay()).isZero();
    assertThat(instance.unicastPeers()).isEmpty();
    assertThat(instance.garp()).isEqualTo(VrrpInstanceConfig.Garp.KEEPALIVED_DEFAULTS);
    assertThat(vrrp.smtpAlert()).isEmpty();
  }

  @Test
  void everyFieldOfAnInstanceMaps() throws Exception {
    VrrpRunnerConfig runner =
        map(director(
                """
                vrrpInstances:
                  - name: VI_6
                    interface: {name: eth1}
                    vrid: 7
                    priority: 255
                    version: 3
                    advertInterval: 50ms
                    unicastPeers: ["2001:db8::2", "2001:db8::3"]
                    preempt: false
                    preemptDelay: 1m30s
                    gratuitousArp:
                      masterRepeat: 3
                      masterDelay: 0s
                      masterRefresh: 60s
                      masterRefreshRepeat: 2
                      interval: 0s
                    vips: ["2001:db8::50/64", "2001:db8::51"]
                """))
            .config()
            .vrrp()
            .runners()
            .get(0);

    assertThat(runner.family()).isEqualTo(StandardProtocolFamily.INET6);
    assertThat(runner.virtualAddresses())
        .containsExactly(
            CidrAddress.parse("2001:db8::50/64"), CidrAddress.parse("2001:db8::51/128"));
    VrrpInstanceConfig instance = runner.instances().get(0);
    assertThat(instance.version()).isEqualTo(3);
    assertThat(instance.vrid()).isEqualTo(7);
    assertThat(instance.addressOwner()).isTrue();
    assertThat(instance.advertInterval()).isEqualTo(Duration.ofMillis(50));
    assertThat(instance.unicastPeers())
        .containsExactly(
            InetAddress.getByName("2001:db8::2"), InetAddress.getByName("2001:db8::3"));
    assertThat(instance.preempt()).isFalse();
    assertThat(instance.preemptDelay()).isEqualTo(Duration.ofSeconds(90));
    assertThat(instance.garp())
        .isEqualTo(new VrrpInstanceConfig.Garp(3, Duration.ZERO, Duration.ofSeconds(60), 2));
  }

  @Test
  void thePasswordComesFromTheSecretAndTheGroupFromTheInstance() throws Exception {
    VrrpRunnerConfig runner =
        map(director(
                TestDirectors.INSTANCE
                    + """
                        multicastGroup: 224.0.100.99
                        authentication:
                          passwordSecretRef: {name: vrrp-auth}
                    """))
            .config()
            .vrrp()
            .runners()
            .get(0);

    assertThat(runner.password()).contains("571f97b2");
    assertThat(runner.group()).isEqualTo(InetAddress.getByName("224.0.100.99"));
  }

  @Test
  void instancesOfOneInterfaceAndFamilyShareARunnerAndOthersGetTheirOwn() throws Exception {
    MappedDirector mapped =
        map(
            director(
                """
                vrrpInstances:
                  - {name: a, interface: {name: eth0}, vrid: 1, priority: 100, version: 3, advertInterval: 1s, vips: [198.18.0.50]}
                  - {name: b, interface: {name: eth1}, vrid: 1, priority: 100, version: 3, advertInterval: 1s, vips: [198.18.1.50]}
                  - {name: c, interface: {name: eth0}, vrid: 2, priority: 100, version: 3, advertInterval: 1s, vips: [198.18.0.51]}
                  - {name: d, interface: {name: eth0}, vrid: 3, priority: 100, version: 3, advertInterval: 1s, vips: ["2001:db8::50"]}
                """));

    assertThat(mapped.config().vrrp().runners())
        .extracting(
            r ->
                r.interfaceName()
                    + "/"
                    + r.family()
                    + " "
                    + r.instances().stream().map(VrrpInstanceConfig::name).toList())
        .containsExactly("eth0/INET [a, c]", "eth1/INET [b]", "eth0/INET6 [d]");
    assertThat(mapped.config().vrrp().runners().get(0).virtualAddresses())
        .extracting(CidrAddress::toString)
        .containsExactly("198.18.0.50/32", "198.18.0.51/32");
    assertThat(mapped.interfacesByInstance())
        .containsExactly(
            java.util.Map.entry("a", "eth0"),
            java.util.Map.entry("b", "eth1"),
            java.util.Map.entry("c", "eth0"),
            java.util.Map.entry("d", "eth0"));
  }

  @Test
  void anInterfaceGivenByCidrIsTheOneInterfaceWithAnAddressInItResolvedOnce() throws Exception {
    List<CidrAddress> asked = new ArrayList<>();
    InterfaceResolver node =
        cidr -> {
          asked.add(cidr);
          return List.of("ens3");
        };
    MappedDirector mapped =
        DirectorSpecs.map(
            director(
                """
                vrrpInstances:
                  - {name: a, interface: {cidr: 198.18.0.0/24}, vrid: 1, priority: 100, version: 2, advertInterval: 1s, vips: [198.18.0.50]}
                  - {name: b, interface: {cidr: 198.18.0.0/24}, vrid: 2, priority: 100, version: 2, advertInterval: 1s, vips: [198.18.0.51]}
                """),
            TestDirectors.SECRETS,
            node);

    assertThat(asked).containsExactly(CidrAddress.parse("198.18.0.0/24"));
    assertThat(mapped.config().vrrp().runners())
        .extracting(VrrpRunnerConfig::interfaceName)
        .containsExactly("ens3");
    assertThat(mapped.interfacesByInstance()).containsEntry("a", "ens3").containsEntry("b", "ens3");
  }

  @Test
  void withMailEveryInstanceMailsItsStateChanges() throws Exception {
    VrrpConfig vrrp =
        map(director(
                """
                vrrpInstances:
                  - {name: a, interface: {name: eth0}, vrid: 1, priority: 100, version: 2, advertInterval: 1s, vips: [198.18.0.50]}
                  - {name: b, interface: {name: eth0}, vrid: 2, priority: 100, version: 2, advertInterval: 1s, vips: [198.18.0.51]}
                notification:
                  email: {to: [ops@example.com], from: lvs@example.com, smtpServer: 198.18.0.25}
                """))
            .config()
            .vrrp();

    assertThat(vrrp.smtpAlert()).containsExactlyInAnyOrder("a", "b");
  }

  /** An instance of eth0 holding 198.18.0.50 with {@code extra} fields, as a spec body. */
  private static String instance(String name, String extra) {
    return "  - name: "
        + name
        + "\n    interface: {name: eth0}\n    vrid: 99\n    priority: 100\n    version: 2\n"
        + "    advertInterval: 1s\n    vips: [198.18.0.50]\n"
        + extra.lines().map(l -> "    " + l + "\n").reduce("", String::concat);
  }

  static Stream<Arguments> refusedInstances() {
    return Stream.of(
        Arguments.of(
            "a required field is missing",
            """
            vrrpInstances:
              - {name: VI_1, interface: {name: eth0}, priority: 100, version: 2, advertInterval: 1s, vips: [198.18.0.50]}
            """,
            "spec.vrrpInstances[VI_1].vrid: missing"),
        Arguments.of(
            "the Secret has no such key",
            "vrrpInstances:\n"
                + instance(
                    "VI_1", "authentication:\n  passwordSecretRef: {name: vrrp-auth, key: pass}"),
            "spec.vrrpInstances[VI_1].authentication: Secret kubelvs-system/vrrp-auth has no key"
                + " \"pass\" (or there is no such Secret)"),
        Arguments.of(
            "there is no such Secret",
            "vrrpInstances:\n"
                + instance("VI_1", "authentication:\n  passwordSecretRef: {name: other}"),
            "spec.vrrpInstances[VI_1].authentication: Secret kubelvs-system/other has no key"
                + " \"password\" (or there is no such Secret)"),
        Arguments.of(
            "PASS authentication with VRRPv3",
            """
            vrrpInstances:
              - name: VI_1
                interface: {name: eth0}
                vrid: 99
                priority: 100
                version: 3
                advertInterval: 1s
                authentication: {passwordSecretRef: {name: vrrp-auth}}
                vips: [198.18.0.50]
            """,
            "spec.vrrpInstances[VI_1].authentication: PASS authentication exists in VRRPv2 only;"
                + " version is 3"),
        Arguments.of(
            "a group and unicast peers",
            "vrrpInstances:\n"
                + instance("VI_1", "multicastGroup: 224.0.100.99\nunicastPeers: [198.18.0.2]"),
            "spec.vrrpInstances[VI_1].multicastGroup: set together with unicastPeers; adverts go"
                + " either to a group or to peers"),
        Arguments.of(
            "a group that is not multicast",
            "vrrpInstances:\n" + instance("VI_1", "multicastGroup: 198.18.0.1"),
            "spec.vrrpInstances[VI_1].multicastGroup: 198.18.0.1 is not a multicast address"),
        Arguments.of(
            "a fractional VRRPv2 interval",
            """
            vrrpInstances:
              - {name: VI_1, interface: {name: eth0}, vrid: 99, priority: 100, version: 2, advertInterval: 1500ms, vips: [198.18.0.50]}
            """,
            "spec.vrrpInstances[VI_1].advertInterval: must be whole seconds 1s to 255s for VRRPv2,"
                + " got 1500ms"),
        Arguments.of(
            "a VRRPv3 interval above 40.95s",
            """
            vrrpInstances:
              - {name: VI_1, interface: {name: eth0}, vrid: 99, priority: 100, version: 3, advertInterval: 1m, vips: [198.18.0.50]}
            """,
            "spec.vrrpInstances[VI_1].advertInterval: must be 10ms to 40.95s in whole centiseconds"
                + " for VRRPv3, got 60s"),
        Arguments.of(
            "an interval that is no duration",
            """
            vrrpInstances:
              - {name: VI_1, interface: {name: eth0}, vrid: 99, priority: 100, version: 2, advertInterval: fast, vips: [198.18.0.50]}
            """,
            "spec.vrrpInstances[VI_1].advertInterval: \"fast\" is not a duration such as 1s, 100ms"
                + " or 1m30s"),
        Arguments.of(
            "an interface selector with both name and cidr",
            """
            vrrpInstances:
              - {name: VI_1, interface: {name: eth0, cidr: 198.18.0.0/24}, vrid: 99, priority: 100, version: 2, advertInterval: 1s, vips: [198.18.0.50]}
            """,
            "spec.vrrpInstances[VI_1].interface: set exactly one of name or cidr"),
        Arguments.of(
            "a name used twice",
            """
            vrrpInstances:
              - {name: VI_1, interface: {name: eth0}, vrid: 1, priority: 100, version: 2, advertInterval: 1s, vips: [198.18.0.50]}
              - {name: VI_1, interface: {name: eth0}, vrid: 2, priority: 100, version: 2, advertInterval: 1s, vips: [198.18.0.51]}
            """,
            "spec.vrrpInstances[1].name: \"VI_1\" is already the name of spec.vrrpInstances[0]"),
        Arguments.of(
            "a VRID used twice on one interface",
            """
            vrrpInstances:
              - {name: a, interface: {name: eth0}, vrid: 1, priority: 100, version: 2, advertInterval: 1s, vips: [198.18.0.50]}
              - {name: b, interface: {name: eth0}, vrid: 1, priority: 100, version: 2, advertInterval: 1s, vips: [198.18.0.51]}
            """,
            "spec.vrrpInstances[b].vrid: 1 is also the VRID of spec.vrrpInstances[a] on eth0;"
                + " adverts are told apart by VRID"),
        Arguments.of(
            "a VIP held by two instances",
            """
            vrrpInstances:
              - {name: a, interface: {name: eth0}, vrid: 1, priority: 100, version: 2, advertInterval: 1s, vips: [198.18.0.50]}
              - {name: b, interface: {name: eth1}, vrid: 2, priority: 100, version: 2, advertInterval: 1s, vips: [198.18.0.50/24]}
            """,
            "spec.vrrpInstances[b].vips[0]: 198.18.0.50 is also a VIP of spec.vrrpInstances[a];"
                + " two instances would both add it as masters"),
        Arguments.of(
            "a VIP listed twice",
            """
            vrrpInstances:
              - {name: a, interface: {name: eth0}, vrid: 1, priority: 100, version: 2, advertInterval: 1s, vips: [198.18.0.50, 198.18.0.50/24]}
            """,
            "spec.vrrpInstances[a].vips[1]: 198.18.0.50 is listed twice"),
        Arguments.of(
            "a VIP that is no address",
            """
            vrrpInstances:
              - {name: a, interface: {name: eth0}, vrid: 1, priority: 100, version: 2, advertInterval: 1s, vips: [198.18.0.500]}
            """,
            "spec.vrrpInstances[a].vips[0]: \"198.18.0.500\" is not an IP address with an optional"
                + " /prefix length"),
        Arguments.of(
            "VIPs of both families",
            """
            vrrpInstances:
              - {name: a, interface: {name: eth0}, vrid: 1, priority: 100, version: 3, advertInterval: 1s, vips: [198.18.0.50, "2001:db8::50"]}
            """,
            "spec.vrrpInstances[a].vips: mixes IPv4 and IPv6; an instance runs one address family"),
        Arguments.of(
            "IPv6 with VRRPv2",
            """
            vrrpInstances:
              - {name: a, interface: {name: eth0}, vrid: 1, priority: 100, version: 2, advertInterval: 1s, vips: ["2001:db8::50"]}
            """,
            "spec.vrrpInstances[a].version: VRRPv2 is IPv4 only (RFC 3768); IPv6 VIPs need"
                + " version 3"),
        Arguments.of(
            "a pause between gratuitous ARPs",
            "vrrpInstances:\n" + instance("VI_1", "gratuitousArp: {interval: 10ms}"),
            "spec.vrrpInstances[VI_1].gratuitousArp.interval: is not supported yet: a burst goes"
                + " out back to back (keepalived garp_interval)"),
        Arguments.of(
            "instances of one interface with different groups",
            """
            vrrpInstances:
              - {name: a, interface: {name: eth0}, vrid: 1, priority: 100, version: 2, advertInterval: 1s, vips: [198.18.0.50], multicastGroup: 224.0.100.99}
              - {name: b, interface: {name: eth0}, vrid: 2, priority: 100, version: 2, advertInterval: 1s, vips: [198.18.0.51]}
            """,
            "spec.vrrpInstances[b].multicastGroup: instances on eth0 share one socket and must"
                + " share the multicast group; spec.vrrpInstances[a] has 224.0.100.99"),
        Arguments.of(
            "instances of one interface with different passwords",
            """
            vrrpInstances:
              - {name: a, interface: {name: eth0}, vrid: 1, priority: 100, version: 2, advertInterval: 1s, vips: [198.18.0.50], authentication: {passwordSecretRef: {name: vrrp-auth}}}
              - {name: b, interface: {name: eth0}, vrid: 2, priority: 100, version: 2, advertInterval: 1s, vips: [198.18.0.51]}
            """,
            "spec.vrrpInstances[b].authentication: instances on eth0 share one socket and must"
                + " share the password; spec.vrrpInstances[a] has another"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedInstances")
  void aSpecTheEngineCannotRunIsRefusedAtItsPath(String what, String spec, String problem) {
    assertThat(problems(director(spec))).containsExactly(problem);
  }

  @Test
  void anEmptyPasswordIsRefused() {
    SecretReader empty =
        SecretReader.of(
            "kubelvs-system", java.util.Map.of("vrrp-auth", java.util.Map.of("password", "")));
    DirectorSpecException refused =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            DirectorSpecException.class,
            () ->
                DirectorSpecs.map(
                    director(
                        "vrrpInstances:\n"
                            + instance(
                                "VI_1", "authentication: {passwordSecretRef: {name: vrrp-auth}}")),
                    empty,
                    InterfaceResolver.NONE));

    assertThat(refused.problems())
        .extracting(DirectorSpecProblem::toString)
        .containsExactly(
            "spec.vrrpInstances[VI_1].authentication: Secret kubelvs-system/vrrp-auth has an empty"
                + " \"password\"");
  }

  @Test
  void aCidrMatchingNoInterfaceOrSeveralIsRefused() {
    String spec =
        """
        vrrpInstances:
          - {name: VI_1, interface: {cidr: 198.18.0.0/24}, vrid: 99, priority: 100, version: 2, advertInterval: 1s, vips: [198.18.0.50]}
        """;

    assertThat(problems(director(spec), cidr -> List.of()))
        .containsExactly(
            "spec.vrrpInstances[VI_1].interface.cidr: no interface of this node has an address in"
                + " 198.18.0.0/24");
    assertThat(problems(director(spec), cidr -> List.of("eth0", "eth1")))
        .containsExactly(
            "spec.vrrpInstances[VI_1].interface.cidr: interfaces eth0, eth1 all have an address in"
                + " 198.18.0.0/24; the selector must find one");
  }

  @Test
  void everyProblemIsReportedNotJustTheFirst() {
    DirectorSpecException refused =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            DirectorSpecException.class,
            () ->
                TestDirectors.map(
                    director(
                        """
                        vrrpInstances:
                          - {name: a, interface: {name: eth0}, priority: 100, version: 2, advertInterval: 1s, vips: [198.18.0.50]}
                          - {name: b, interface: {name: eth0}, vrid: 2, priority: 300, version: 4, advertInterval: 2x, vips: [198.18.0.51]}
                        """)));

    assertThat(refused.problems())
        .extracting(DirectorSpecProblem::path)
        .containsExactly(
            "spec.vrrpInstances[a].vrid",
            "spec.vrrpInstances[b].priority",
            "spec.vrrpInstances[b].version",
            "spec.vrrpInstances[b].advertInterval");
    assertThat(refused)
        .hasMessageStartingWith(
            "Director director-1: 4 problems:\n"
                + "  spec.vrrpInstances[a].vrid: missing\n"
                + "  spec.vrrpInstances[b].priority: must be 1 to 255, got 300\n");
  }
}
