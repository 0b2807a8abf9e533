package io.kubelvs.agent.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubelvs.agent.netlink.CidrAddress;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link VrrpRunnerConfig} is validated as a whole; every error names instance and field. */
class VrrpRunnerConfigTest {
  static final InetAddress VIP = CidrAddress.parse("198.18.0.50").address();

  static VrrpInstanceConfig.Builder instance(String name, int vrid) {
    return VrrpInstanceConfig.builder(name, vrid, VrrpRunnerConfig.UNRESOLVED_PRIMARY)
        .version(3)
        .advertInterval(Duration.ofMillis(100))
        .virtualAddresses(VIP);
  }

  @Test
  void defaultsToTheIanaGroupAndSingleAddressVips() {
    VrrpRunnerConfig config =
        VrrpRunnerConfig.of(
            "v0", StandardProtocolFamily.INET, List.of(instance("VI_1", 1).build()));

    assertThat(config.group().getHostAddress()).isEqualTo("224.0.0.18");
    assertThat(config.prefixed(VIP)).isEqualTo(CidrAddress.parse("198.18.0.50/32"));
    assertThat(config.password()).isEmpty();
  }

  @Test
  void passwordIsCutToItsFirstEightBytesOnTheWire() {
    VrrpInstanceConfig v2 =
        instance("VI_1", 1).version(2).advertInterval(Duration.ofSeconds(1)).build();
    VrrpRunnerConfig config =
        VrrpRunnerConfig.of("v0", StandardProtocolFamily.INET, List.of(v2))
            .withPassword("571f97b2-and-more");

    assertThat(config.authData().orElseThrow()).isEqualTo("571f97b2".getBytes());
  }

  @Test
  void reportsEveryProblemNamingInstanceAndField() {
    VrrpInstanceConfig first = instance("VI_1", 7).build();
    VrrpInstanceConfig sameVrid =
        instance("VI_2", 7).virtualAddresses(CidrAddress.parse("198.18.0.51").address()).build();

    assertThatThrownBy(
            () ->
                new VrrpRunnerConfig(
                    "v0",
                    StandardProtocolFamily.INET,
                    CidrAddress.parse("198.18.0.1").address(),
                    Optional.of("pw"),
                    List.of(CidrAddress.parse("198.18.0.50/32")),
                    List.of(first, sameVrid)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mcast_group 198.18.0.1 is not a multicast address")
        .hasMessageContaining("instance VI_2: virtual_router_id 7 is also VI_1's")
        .hasMessageContaining("instance VI_1: auth_pass is set, but version 3")
        .hasMessageContaining("instance VI_2: virtual_ipaddress 198.18.0.51 has no entry");
  }

  @Test
  void rejectsVrrpV2OverIpv6AndVipsOfNoInstance() {
    InetAddress v6 = CidrAddress.parse("2001:2::50").address();
    VrrpInstanceConfig v2 =
        VrrpInstanceConfig.builder("VI_6", 1, VrrpRunnerConfig.UNRESOLVED_PRIMARY)
            .virtualAddresses(v6)
            .build();

    assertThatThrownBy(
            () ->
                new VrrpRunnerConfig(
                    "v0",
                    StandardProtocolFamily.INET6,
                    null,
                    Optional.empty(),
                    List.of(CidrAddress.parse("2001:2::50/64"), CidrAddress.parse("2001:2::51")),
                    List.of(v2)))
        .hasMessageContaining("instance VI_6: version 2 is IPv4 only")
        .hasMessageContaining("virtual_ipaddress 2001:2:0:0:0:0:0:51/128 belongs to no instance");
  }
}
