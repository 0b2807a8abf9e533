package io.kubelvs.operator.plan;

import static io.kubelvs.operator.plan.Fixtures.at;
import static io.kubelvs.operator.plan.Fixtures.node;
import static io.kubelvs.operator.plan.Fixtures.pool;
import static io.kubelvs.operator.plan.Fixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.IpFamily;
import io.kubelvs.api.v1alpha1.VirtualService;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the planner refuses, and the words it refuses it in: one row per case. */
class PlannerProblemsTest {

  record Row(
      String name,
      List<DirectorPool> pools,
      List<VirtualService> services,
      String rejected,
      Problem.Kind kind,
      String reason,
      String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> rows() {
    DirectorPool a = pool("a").build();
    return Stream.of(
            new Row(
                "pool that does not exist",
                List.of(a),
                List.of(service("web", "x").pool("nope").build()),
                "web/x",
                Problem.Kind.INVALID,
                "PoolNotFound",
                "DirectorPool nope does not exist"),
            new Row(
                "pool whose spec cannot work",
                List.of(pool("a").vrids(9, 3).build()),
                List.of(service("web", "x").build()),
                "web/x",
                Problem.Kind.INVALID,
                "PoolInvalid",
                "DirectorPool a is invalid: spec.vrrp.vridRange 9–3 is not a range within 1–255"),
            new Row(
                "VIP outside the pool's ranges",
                List.of(a),
                List.of(service("web", "x").vip("10.0.0.1").build()),
                "web/x",
                Problem.Kind.INVALID,
                "VipOutOfRange",
                "VIP 10.0.0.1 is outside the vipRanges of DirectorPool a (198.18.0.0/24)"),
            new Row(
                "VIP in another pool's ranges, pool without ranges",
                List.of(a, pool("b").ranges().build()),
                List.of(service("web", "x").pool("b").vip("198.18.0.9").build()),
                "web/x",
                Problem.Kind.INVALID,
                "VipOfOtherPool",
                "VIP 198.18.0.9 is in the vipRanges of DirectorPool a, not of b"),
            new Row(
                "IPv6 VIP on a VRRPv2 pool",
                List.of(pool("a").version(2).build()),
                List.of(service("web", "x").vip("2001:db8::1").build()),
                "web/x",
                Problem.Kind.INVALID,
                "FamilyNotCarried",
                "DirectorPool a speaks VRRP version 2, which carries IPv4 VIPs only"),
            new Row(
                "no range of the requested family",
                List.of(a),
                List.of(service("web", "x").family(IpFamily.IPv6).build()),
                "web/x",
                Problem.Kind.INVALID,
                "NoVipRanges",
                "DirectorPool a has no IPv6 vipRanges to allocate a VIP from; set spec.vip or ask"
                    + " for such a range"),
            new Row(
                "every address of the range in use",
                List.of(pool("a").ranges("198.18.0.7/32").build()),
                List.of(
                    service("web", "old").created(at(1)).build(),
                    service("web", "new").created(at(2)).build()),
                "web/new",
                Problem.Kind.EXHAUSTED,
                "VipsExhausted",
                "every IPv4 address in the vipRanges of DirectorPool a (198.18.0.7/32) is in use"),
            new Row(
                "every virtual router id in use and every instance full",
                List.of(pool("a").vrids(7, 7).maxVipsPerInstance(1).build()),
                List.of(
                    service("web", "old").created(at(1)).build(),
                    service("web", "new").created(at(2)).build()),
                "web/new",
                Problem.Kind.EXHAUSTED,
                "VridsExhausted",
                "DirectorPool a has no free virtual router id in 7–7 and each of its IPv4"
                    + " instances carries maxVipsPerInstance=1 VIPs or 1000 virtual servers"),
            new Row(
                "more ports on one VIP than one instance carries",
                List.of(a),
                List.of(withPorts(service("web", "x"), 1001).build()),
                "web/x",
                Problem.Kind.EXHAUSTED,
                "TooManyPortsOnVip",
                "the VirtualServices on VIP 198.18.0.0 have 1001 ports; one VRRP instance carries"
                    + " at most 1000 virtual servers"),
            new Row(
                "a full instance of the last virtual router id by its virtual servers",
                List.of(pool("a").vrids(7, 7).build()),
                List.of(
                    withPorts(service("web", "old").created(at(1)), 600).build(),
                    withPorts(service("web", "new").created(at(2)), 600).build()),
                "web/new",
                Problem.Kind.EXHAUSTED,
                "VridsExhausted",
                "DirectorPool a has no free virtual router id in 7–7 and each of its IPv4"
                    + " instances carries maxVipsPerInstance=20 VIPs or 1000 virtual servers"),
            new Row(
                "same VIP, port and protocol in another namespace, newer",
                List.of(a),
                List.of(
                    service("shop", "new").vip("198.18.0.5").created(at(2)).build(),
                    service("web", "old").vip("198.18.0.5").created(at(1)).build()),
                "shop/new",
                Problem.Kind.CONFLICT,
                "VipPortInUse",
                "198.18.0.5:80/TCP is held by VirtualService web/old, which is older"),
            new Row(
                "same age: namespace then name decides",
                List.of(a),
                List.of(
                    service("b", "x").vip("198.18.0.5").build(),
                    service("a", "y").vip("198.18.0.5").build()),
                "b/x",
                Problem.Kind.CONFLICT,
                "VipPortInUse",
                "198.18.0.5:80/TCP is held by VirtualService a/y, which is older"),
            new Row(
                "IPv6 VIP and port",
                List.of(pool("a").ranges("2001:db8::/64").build()),
                List.of(
                    service("web", "old").vip("2001:db8::5").created(at(1)).build(),
                    service("web", "new").vip("2001:DB8:0::5").created(at(2)).build()),
                "web/new",
                Problem.Kind.CONFLICT,
                "VipPortInUse",
                "[2001:db8::5]:80/TCP is held by VirtualService web/old, which is older"),
            new Row(
                "the VIP of another pool, on another port",
                List.of(pool("a").ranges().build(), pool("b").ranges().build()),
                List.of(
                    service("web", "old").pool("a").vip("10.0.0.1").created(at(1)).build(),
                    service("web", "new")
                        .pool("b")
                        .vip("10.0.0.1")
                        .port(443)
                        .created(at(2))
                        .build()),
                "web/new",
                Problem.Kind.CONFLICT,
                "VipInOtherPool",
                "VIP 10.0.0.1 is used by VirtualService web/old in DirectorPool a, which is older;"
                    + " a VIP belongs to one pool"),
            new Row(
                "same firewall mark",
                List.of(a),
                List.of(
                    service("web", "old").fwmark(7).created(at(1)).build(),
                    service("web", "new").fwmark(7).created(at(2)).build()),
                "web/new",
                Problem.Kind.CONFLICT,
                "VipPortInUse",
                "fwmark 7 (IPv4) is held by VirtualService web/old, which is older"))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void refusesWithAClearProblem(Row row) {
    Plan plan =
        Planner.plan(
            new PlanInput(
                row.pools(),
                row.services(),
                List.of(node("n1", "a", "198.18.100.1"), node("n2", "b", "198.18.100.2")),
                List.of(),
                Allocations.none()));

    VirtualServiceOutcome outcome =
        plan.virtualServices().get(VirtualServiceKey.parse(row.rejected()));
    assertThat(outcome).isInstanceOf(VirtualServiceOutcome.Rejected.class);
    Problem problem = ((VirtualServiceOutcome.Rejected) outcome).problem();
    assertThat(problem).isEqualTo(new Problem(row.kind(), row.reason(), row.message()));
    assertThat(plan.directors().values())
        .flatMap(d -> d.allVirtualServers())
        .noneMatch(
            s ->
                s.owner().name().equals(outcome.key().name())
                    && s.owner().namespace().equals(outcome.key().namespace()));
    // Every other VirtualService of the row is planned: a problem never spreads.
    assertThat(plan.virtualServices().values())
        .filteredOn(o -> !o.key().equals(outcome.key()))
        .allMatch(o -> o instanceof VirtualServiceOutcome.Planned);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void exhaustionIsAlsoAPoolProblem(Row row) {
    Plan plan =
        Planner.plan(
            new PlanInput(row.pools(), row.services(), List.of(), List.of(), Allocations.none()));
    boolean poolSaysExhausted =
        plan.pools().values().stream()
            .flatMap(p -> p.problems().stream())
            .anyMatch(
                p -> p.kind() == Problem.Kind.EXHAUSTED && p.message().contains(row.rejected()));
    assertThat(poolSaysExhausted).isEqualTo(row.kind() == Problem.Kind.EXHAUSTED);
  }

  private static Fixtures.ServiceBuilder withPorts(Fixtures.ServiceBuilder service, int ports) {
    for (int port = 1; port <= ports; port++) {
      service.port(port);
    }
    return service;
  }
}
