package io.kubelvs.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrAddressTest {
  @Test
  void parsesAndPrintsAnIpv4AddressWithItsPrefix() {
    CidrAddress vip = CidrAddress.parse("198.18.0.50/32");

    assertThat(vip.prefixLength()).isEqualTo(32);
    assertThat(vip.family()).isEqualTo(LibC.AF_INET);
    assertThat(vip).hasToString("198.18.0.50/32");
  }

  @Test
  void addressWithoutPrefixStandsAlone() {
    assertThat(CidrAddress.parse("198.18.0.50").prefixLength()).isEqualTo(32);
    assertThat(CidrAddress.parse("2001:2::50").prefixLength()).isEqualTo(128);
  }

  @Test
  void ipv6PrefixIsUpTo128() {
    assertThat(CidrAddress.parse("2001:2::50/64").family()).isEqualTo(LibC.AF_INET6);
    assertThatThrownBy(() -> CidrAddress.parse("2001:2::50/129"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prefix length 129");
  }

  @Test
  void namesAndMalformedTextAreRefusedWithoutALookUp() {
    assertThatThrownBy(() -> CidrAddress.parse("localhost/32"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not an address/prefix: localhost/32");
    assertThatThrownBy(() -> CidrAddress.parse("198.18.0.50/33"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CidrAddress.parse("198.18.0.50/x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CidrAddress.parse("1234/32"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
