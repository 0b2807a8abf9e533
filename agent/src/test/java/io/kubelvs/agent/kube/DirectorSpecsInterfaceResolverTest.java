package io.kubelvs.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.netlink.CidrAddress;
import java.net.InetAddress;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How the agent finds an interface selected by CIDR: prefix matching, and the kernel's answer. */
class DirectorSpecsInterfaceResolverTest {

  static Stream<Arguments> containment() {
    return Stream.of(
        Arguments.of("198.18.0.0/24", "198.18.0.7", true),
        Arguments.of("198.18.0.0/24", "198.18.1.7", false),
        Arguments.of("198.18.0.0/31", "198.18.0.1", true),
        Arguments.of("198.18.0.0/31", "198.18.0.2", false),
        Arguments.of("198.18.0.0/15", "198.19.255.1", true),
        Arguments.of("0.0.0.0/0", "203.0.113.9", true),
        Arguments.of("198.18.0.7/32", "198.18.0.7", true),
        Arguments.of("2001:db8::/33", "2001:db8:7fff::1", true),
        Arguments.of("2001:db8::/33", "2001:db8:8000::1", false),
        Arguments.of("198.18.0.0/24", "2001:db8::7", false));
  }

  @ParameterizedTest(name = "{1} in {0}: {2}")
  @MethodSource("containment")
  void anAddressIsInsideACidrWhenItsPrefixBitsAgree(String cidr, String address, boolean inside)
      throws Exception {
    assertThat(
            NetlinkInterfaceResolver.contains(
                CidrAddress.parse(cidr), InetAddress.getByName(address)))
        .isEqualTo(inside);
  }

  @Test
  void theKernelNamesLoopbackForItsAddress() {
    // Reads only: RTM_GETLINK and RTM_GETADDR of the test's own network namespace.
    try (NetlinkInterfaceResolver resolver = NetlinkInterfaceResolver.open()) {
      assertThat(resolver.interfacesWithAddressIn(CidrAddress.parse("127.0.0.0/8")))
          .containsExactly("lo");
    }
  }
}
