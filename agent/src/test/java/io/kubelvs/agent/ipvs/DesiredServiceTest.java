package io.kubelvs.agent.ipvs;

import static io.kubelvs.agent.ipvs.IpvsFixtures.dr;
import static io.kubelvs.agent.ipvs.IpvsFixtures.fwmark;
import static io.kubelvs.agent.ipvs.IpvsFixtures.ip;
import static io.kubelvs.agent.ipvs.IpvsFixtures.nat;
import static io.kubelvs.agent.ipvs.IpvsFixtures.service;
import static io.kubelvs.agent.ipvs.IpvsFixtures.tcp;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What is refused before the kernel sees it, and how the error names what is wrong. */
class DesiredServiceTest {
  static final ServiceKey WEB = tcp("198.18.0.50", 80);
  static final IpvsService RR = service(WEB, "rr");

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refusesWithAnErrorNamingServiceAndRealServer(
      String rule, IpvsService service, List<Destination> dests, String message) {
    assertThatThrownBy(() -> new DesiredService(service, dests))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  static Stream<Arguments> invalid() {
    ServiceKey mark = fwmark(AddressFamily.INET, 7);
    return Stream.of(
        Arguments.of(
            "unknown scheduler",
            RR.withScheduler("foo"),
            List.of(),
            "IPVS service 198.18.0.50:80/TCP: scheduler \"foo\" is not one of the kernel's: dh,"),
        Arguments.of(
            "the same real server twice",
            RR,
            List.of(nat("198.18.1.1", 80, 1), nat("198.18.1.1", 80, 5)),
            "IPVS service 198.18.0.50:80/TCP, real server 198.18.1.1:80: is listed twice"),
        Arguments.of(
            "IPv6 real server of an IPv4 service",
            RR,
            List.of(nat("2001:db8::1", 80, 1)),
            "real server [2001:db8:0:0:0:0:0:1]:80: is not of the service's address family INET"),
        Arguments.of(
            "IPv4 real server of an IPv6 fwmark service",
            service(fwmark(AddressFamily.INET6, 7), "rr"),
            List.of(nat("198.18.1.1", 0, 1)),
            "IPVS service fwmark 7/IPv6, real server 198.18.1.1:0: is not of the service's"),
        Arguments.of(
            "DR to another port",
            RR,
            List.of(dr("198.18.1.1", 8080, 1)),
            "real server 198.18.1.1:8080: DR keeps the packet's destination port, so the real"
                + " server's port must be 80, the service's"),
        Arguments.of(
            "DR with a port under a fwmark service",
            service(mark, "rr"),
            List.of(dr("198.18.1.1", 80, 1)),
            "must be 0 for a fwmark service"),
        Arguments.of(
            "lower threshold above upper",
            RR,
            List.of(thresholds(100, 200)),
            "lower threshold 200 is outside 0 to the upper threshold 100"),
        Arguments.of(
            "upper threshold beyond u32",
            RR,
            List.of(thresholds(1L << 32, 0)),
            "upper threshold 4294967296 is outside 0-4294967295"),
        Arguments.of(
            "GUE without a port",
            RR,
            List.of(
                new Destination(
                    ip("198.18.1.1"), 80, Forwarding.TUN, 1, 0, 0, TunnelType.GUE, 0, 0)),
            "GUE tunnelling needs a tunnel port"),
        Arguments.of(
            "a kernel flag",
            RR.withFlags(ServiceFlags.HASHED),
            List.of(),
            "flags 0x2 include bits that are not one-packet or scheduler flags"),
        Arguments.of(
            "PERSISTENT without a timeout",
            RR.withFlags(ServiceFlags.PERSISTENT),
            List.of(),
            "the PERSISTENT flag needs a persistence timeout"),
        Arguments.of(
            "IPv6 netmask not a prefix length",
            service(tcp("2001:db8::50", 80), "rr").withPersistence(300, 0xFFFF_FFFF),
            List.of(),
            "IPv6 netmask -1 is not a prefix length 1-128"),
        Arguments.of(
            "port 0 without persistence",
            service(tcp("198.18.0.50", 0), "rr"),
            List.of(),
            "IPVS service 198.18.0.50:0/TCP: port 0 (all ports) needs persistence"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh",
        "twos"
      })
  void acceptsEveryKernelScheduler(String scheduler) {
    assertThatCode(() -> DesiredService.of(RR.withScheduler(scheduler))).doesNotThrowAnyException();
  }

  @Test
  void acceptsWhatTheKernelAccepts() {
    assertThatCode(
            () -> {
              DesiredService.of(RR, nat("198.18.1.1", 8080, 0), dr("198.18.1.2", 80, 100));
              DesiredService.of(RR, nat("198.18.1.1", 80, Integer.MAX_VALUE));
              DesiredService.of(
                  service(fwmark(AddressFamily.INET, 7), "sh"), dr("198.18.1.1", 0, 1));
              DesiredService.of(service(tcp("198.18.0.50", 0), "rr").withPersistence(300, -1));
              DesiredService.of(RR.withPersistence(300, -1).withFlags(ServiceFlags.PERSISTENT));
              // Linux 3.18+ tunnels to a real server of the other family.
              DesiredService.of(
                  RR,
                  new Destination(
                      ip("2001:db8::1"), 80, Forwarding.TUN, 1, 0, 0, TunnelType.IPIP, 0, 0));
            })
        .doesNotThrowAnyException();
  }

  private static Destination thresholds(long upper, long lower) {
    return new Destination(
        ip("198.18.1.1"), 80, Forwarding.NAT, 1, upper, lower, TunnelType.IPIP, 0, 0);
  }
}
