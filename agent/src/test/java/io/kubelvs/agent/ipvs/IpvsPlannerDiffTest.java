package io.kubelvs.agent.ipvs;

import static io.kubelvs.agent.ipvs.IpvsFixtures.ip;
import static io.kubelvs.agent.ipvs.IpvsFixtures.nat;
import static io.kubelvs.agent.ipvs.IpvsFixtures.observed;
import static io.kubelvs.agent.ipvs.IpvsFixtures.service;
import static io.kubelvs.agent.ipvs.IpvsFixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.ipvs.IpvsOperation.DeleteDestination;
import io.kubelvs.agent.ipvs.IpvsOperation.EditDestination;
import io.kubelvs.agent.ipvs.IpvsOperation.EditService;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One owned service, programmed as {@code kernel}, desired as {@code wanted}: the exact operations
 * the planner sends. Each row is one rule of the diff; an empty list means "already right".
 */
class IpvsPlannerDiffTest {
  static final ServiceKey WEB = tcp("198.18.0.50", 80);
  static final IpvsService RR = service(WEB, "rr");
  static final Destination REAL = nat("198.18.1.1", 80, 1);

  /**
   * One side of a diff; {@code asIs} reports the flags exactly as given, not as the kernel would.
   */
  record Side(IpvsService service, List<Destination> destinations, boolean asIs) {
    static Side of(IpvsService service, Destination... destinations) {
      return new Side(service, List.of(destinations), false);
    }

    static Side asIs(IpvsService service) {
      return new Side(service, List.of(), true);
    }

    ObservedService observedService() {
      return asIs ? new ObservedService(service, IpvsStats.ZERO) : observed(service);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("diffs")
  void plansExactlyTheseOperations(String rule, Side kernel, Side wanted, List<IpvsOperation> ops) {
    IpvsPlan plan =
        new IpvsPlanner()
            .plan(
                List.of(new DesiredService(wanted.service(), wanted.destinations())),
                Set.of(WEB),
                List.of(kernel.observedService()),
                Map.of(WEB, observed(kernel.destinations())));

    assertThat(plan.operations()).as(rule).containsExactlyElementsOf(ops);
    assertThat(plan.conflicts()).isEmpty();
  }

  static Stream<Arguments> diffs() {
    IpvsService persistent = RR.withPersistence(300, 0xFFFF_FFFF);
    return Stream.of(
        row("nothing differs", Side.of(RR, REAL), Side.of(RR, REAL)),
        row(
            "weight only: one EditDestination",
            Side.of(RR, REAL),
            Side.of(RR, REAL.withWeight(7)),
            new EditDestination(WEB, REAL.withWeight(7))),
        row(
            "weight 0 inhibits: an edit, the real server stays",
            Side.of(RR, REAL),
            Side.of(RR, REAL.withWeight(0)),
            new EditDestination(WEB, REAL.withWeight(0))),
        row(
            "removal: one DeleteDestination",
            Side.of(RR, REAL),
            Side.of(RR),
            new DeleteDestination(WEB, REAL.key())),
        row(
            "scheduler: one EditService, never delete and re-add",
            Side.of(RR, REAL),
            Side.of(RR.withScheduler("wlc"), REAL),
            new EditService(RR.withScheduler("wlc"))),
        row("persistence on", Side.of(RR), Side.of(persistent), new EditService(persistent)),
        row("persistence off", Side.of(persistent), Side.of(RR), new EditService(RR)),
        row(
            "persistence timeout",
            Side.of(persistent),
            Side.of(persistent.withPersistence(600, 0xFFFF_FFFF)),
            new EditService(persistent.withPersistence(600, 0xFFFF_FFFF))),
        row(
            "persistence netmask",
            Side.of(persistent),
            Side.of(persistent.withPersistence(300, 0xFFFF_FF00)),
            new EditService(persistent.withPersistence(300, 0xFFFF_FF00))),
        row(
            "netmask without persistence means nothing",
            Side.of(RR.withPersistence(0, 0xFFFF_FF00)),
            Side.of(RR)),
        row(
            "timeout kept without the PERSISTENT bit means nothing",
            Side.asIs(RR.withPersistence(300, 0xFFFF_FFFF).withFlags(ServiceFlags.HASHED)),
            Side.of(RR)),
        row(
            "a report without the kernel's bits persists by its timeout",
            Side.asIs(persistent),
            Side.of(persistent)),
        row(
            "the kernel's HASHED and PERSISTENT bits are not a difference",
            Side.asIs(persistent.withFlags(ServiceFlags.HASHED | ServiceFlags.PERSISTENT)),
            Side.of(persistent)),
        row(
            "one-packet scheduling is a user flag",
            Side.of(RR),
            Side.of(RR.withFlags(ServiceFlags.ONE_PACKET)),
            new EditService(RR.withFlags(ServiceFlags.ONE_PACKET))),
        row(
            "forwarding method",
            Side.of(RR, REAL),
            Side.of(RR, with(REAL, Forwarding.DR)),
            new EditDestination(WEB, with(REAL, Forwarding.DR))),
        row(
            "thresholds",
            Side.of(RR, REAL),
            Side.of(RR, thresholds(REAL, 100, 50)),
            new EditDestination(WEB, thresholds(REAL, 100, 50))),
        row(
            "tunnel settings of a TUN real server",
            Side.of(RR, tunnel(TunnelType.IPIP, 0)),
            Side.of(RR, tunnel(TunnelType.GUE, 6080)),
            new EditDestination(WEB, tunnel(TunnelType.GUE, 6080))),
        row(
            "tunnel settings mean nothing to NAT",
            Side.of(RR, REAL),
            Side.of(
                RR,
                new Destination(
                    ip("198.18.1.1"), 80, Forwarding.NAT, 1, 0, 0, TunnelType.GRE, 0, 0))),
        row(
            "loopback NAT real server reported as LOCAL is the same",
            Side.of(RR, with(nat("127.0.0.1", 80, 1), Forwarding.LOCAL)),
            Side.of(RR, nat("127.0.0.1", 80, 1))),
        row(
            "a non-loopback LOCAL is a difference",
            Side.of(RR, with(REAL, Forwarding.LOCAL)),
            Side.of(RR, REAL),
            new EditDestination(WEB, REAL)),
        row(
            "a new real server beside an unchanged one",
            Side.of(RR, REAL),
            Side.of(RR, REAL, nat("198.18.1.2", 80, 1)),
            new IpvsOperation.AddDestination(WEB, nat("198.18.1.2", 80, 1))));
  }

  private static Arguments row(String rule, Side kernel, Side wanted, IpvsOperation... ops) {
    return Arguments.of(rule, kernel, wanted, List.of(ops));
  }

  private static Destination with(Destination d, Forwarding forwarding) {
    return new Destination(
        d.address(),
        d.port(),
        forwarding,
        d.weight(),
        d.upperThreshold(),
        d.lowerThreshold(),
        d.tunnelType(),
        d.tunnelPort(),
        d.tunnelFlags());
  }

  private static Destination thresholds(Destination d, long upper, long lower) {
    return new Destination(
        d.address(),
        d.port(),
        d.forwarding(),
        d.weight(),
        upper,
        lower,
        d.tunnelType(),
        d.tunnelPort(),
        d.tunnelFlags());
  }

  private static Destination tunnel(TunnelType type, int port) {
    return new Destination(ip("198.18.1.1"), 80, Forwarding.TUN, 1, 0, 0, type, port, 0);
  }
}
