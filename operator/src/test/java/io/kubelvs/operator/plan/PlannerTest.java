package io.kubelvs.operator.plan;

import static io.kubelvs.operator.plan.Fixtures.at;
import static io.kubelvs.operator.plan.Fixtures.node;
import static io.kubelvs.operator.plan.Fixtures.notReady;
import static io.kubelvs.operator.plan.Fixtures.pool;
import static io.kubelvs.operator.plan.Fixtures.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import io.kubelvs.api.v1alpha1.ForwardingMethod;
import io.kubelvs.api.v1alpha1.PoolNode;
import io.kubelvs.api.v1alpha1.Protocol;
import io.kubelvs.api.v1alpha1.RealServer;
import io.kubelvs.api.v1alpha1.VipAllocation;
import io.kubelvs.api.v1alpha1.VirtualServer;
import io.kubelvs.api.v1alpha1.VirtualService;
import io.kubelvs.api.v1alpha1.VrrpInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PlannerTest {

  private static final NodeFacts N1 = node("director-1", "a", "198.18.100.1");
  private static final NodeFacts N2 = node("director-2", "a", "198.18.100.2");
  private static final NodeFacts N3 = node("director-3", "a", "198.18.100.3");

  static Plan plan(List<DirectorPool> pools, List<VirtualService> services, List<NodeFacts> nodes) {
    return Planner.plan(new PlanInput(pools, services, nodes, List.of(), Allocations.none()));
  }

  static VirtualServiceOutcome.Planned planned(Plan plan, String key) {
    VirtualServiceOutcome outcome = plan.virtualServices().get(VirtualServiceKey.parse(key));
    assertThat(outcome).as(key).isInstanceOf(VirtualServiceOutcome.Planned.class);
    return (VirtualServiceOutcome.Planned) outcome;
  }

  @Test
  void seedPoolRunsOneInstanceWithPriorities100And98() {
    DirectorPool seed = pool("a").version(2).vrids(99, 99).priorities(100, 2).build();
    Plan plan =
        plan(
            List.of(seed),
            List.of(service("default", "seed-web").vip("198.18.0.50").build()),
            List.of(N1, N2));

    assertThat(plan.directors()).containsOnlyKeys("director-1", "director-2");
    VrrpInstance onFirst = plan.directors().get("director-1").vrrpInstances().get(0);
    VrrpInstance onSecond = plan.directors().get("director-2").vrrpInstances().get(0);
    assertThat(List.of(onFirst, onSecond))
        .extracting(
            VrrpInstance::name, VrrpInstance::vrid, VrrpInstance::version, VrrpInstance::vips)
        .containsOnly(tuple("a-99", 99, 2, List.of("198.18.0.50")));
    assertThat(List.of(onFirst.priority(), onSecond.priority())).containsExactlyInAnyOrder(100, 98);
    assertThat(onFirst.multicastGroup()).isEqualTo("224.0.0.18");
    assertThat(onFirst.unicastPeers()).isNull();

    VirtualServiceOutcome.Planned web = planned(plan, "default/seed-web");
    assertThat(web.vip()).isEqualTo("198.18.0.50");
    assertThat(web.vrid()).isEqualTo(99);
    assertThat(web.plannedMaster()).isEqualTo(web.preferredMaster());
    String master = onFirst.priority() == 100 ? "director-1" : "director-2";
    assertThat(web.preferredMaster()).isEqualTo(master);
  }

  @Test
  void aPoolWhoseInputsAreAsLastTimeIsNotPlannedAgain() {
    List<DirectorPool> pools =
        List.of(pool("a").build(), pool("b").ranges("198.18.9.0/24").build());
    NodeFacts b1 = node("director-b1", "b", "198.18.101.1");
    VirtualService web = service("default", "web").vip("198.18.0.50").build();
    VirtualService db = service("default", "db").pool("b").build();
    PlanMemo memo = new PlanMemo();
    Plan first =
        Planner.plan(
            new PlanInput(pools, List.of(web, db), List.of(N1, b1), List.of(), Allocations.none()),
            memo);
    // Settled: the same input with the allocations the first plan made.
    Plan settled =
        Planner.plan(
            new PlanInput(pools, List.of(web, db), List.of(N1, b1), List.of(), first.allocations()),
            memo);

    VirtualService moved = service("default", "web").vip("198.18.0.51").build();
    PlanInput input =
        new PlanInput(pools, List.of(moved, db), List.of(N1, b1), List.of(), settled.allocations());
    Plan second = Planner.plan(input, memo);

    // Pool b's inputs are as they were: its Director is last time's own object; a's is new.
    assertThat(second.directors().get("director-b1"))
        .isSameAs(settled.directors().get("director-b1"));
    assertThat(second.directors().get("director-1").vrrpInstances().get(0).vips())
        .containsExactly("198.18.0.51");
    assertThat(second).isEqualTo(Planner.plan(input));
  }

  @Test
  void everyNodeCarriesEveryVirtualServerOfItsPool() {
    Plan plan =
        plan(
            List.of(pool("a").build()),
            List.of(
                service("web", "http")
                    .vip("198.18.0.50")
                    .port(80)
                    .port(53, Protocol.UDP, 5353)
                    .realServer("198.18.1.1")
                    .forwarding(ForwardingMethod.NAT)
                    .build()),
            List.of(N1, N2));

    for (DirectorSpec director : plan.directors().values()) {
      assertThat(director.virtualServers()).isEmpty();
      assertThat(director.vrrpInstances()).hasSize(1);
      List<VirtualServer> servers = director.vrrpInstances().get(0).virtualServers();
      assertThat(servers)
          .extracting(
              VirtualServer::name, VirtualServer::vip, VirtualServer::port, VirtualServer::protocol)
          .containsExactly(
              tuple("web/http/53-udp", "198.18.0.50", 53, Protocol.UDP),
              tuple("web/http/80-tcp", "198.18.0.50", 80, Protocol.TCP));
      assertThat(servers.get(0).realServers())
          .containsExactly(new RealServer("198.18.1.1", 5353, 1, ForwardingMethod.NAT, null, null));
      assertThat(servers.get(0).owner().generation()).isEqualTo(1L);
    }
  }

  @Test
  void twoServicesOnTwoNodesAreMasteredByDifferentNodes() {
    Plan plan =
        plan(
            List.of(pool("a").build()),
            List.of(
                service("web", "a").created(at(1)).build(),
                service("web", "b").created(at(2)).build()),
            List.of(N1, N2));

    VirtualServiceOutcome.Planned a = planned(plan, "web/a");
    VirtualServiceOutcome.Planned b = planned(plan, "web/b");
    assertThat(a.vip()).isEqualTo("198.18.0.0");
    assertThat(b.vip()).isEqualTo("198.18.0.1");
    assertThat(a.vrid()).isNotEqualTo(b.vrid());
    assertThat(List.of(a.preferredMaster(), b.preferredMaster()))
        .containsExactlyInAnyOrder("director-1", "director-2");
  }

  @Test
  void preferredNodeIsTheMasterOfItsVip() {
    Plan plan =
        plan(
            List.of(pool("a").build()),
            List.of(
                service("web", "a")
                    .vip("198.18.0.50")
                    .preferredNode("director-2")
                    .created(at(1))
                    .build(),
                service("web", "b")
                    .vip("198.18.0.51")
                    .preferredNode("director-2")
                    .created(at(2))
                    .build()),
            List.of(N1, N2));

    assertThat(planned(plan, "web/a").preferredMaster()).isEqualTo("director-2");
    assertThat(planned(plan, "web/b").preferredMaster()).isEqualTo("director-2");
    // Both pinned to one node: one instance is enough.
    assertThat(planned(plan, "web/b").vrid()).isEqualTo(planned(plan, "web/a").vrid());
    VrrpInstance onTwo = plan.directors().get("director-2").vrrpInstances().get(0);
    assertThat(onTwo.priority()).isEqualTo(100);
    assertThat(onTwo.vips()).containsExactly("198.18.0.50", "198.18.0.51");
  }

  @Test
  void aPoolCarriesMoreThan255VipsInSeveralInstances() {
    List<VirtualService> services =
        IntStream.range(0, 300)
            .mapToObj(i -> service("web", "vs" + i).created(at(i)).build())
            .toList();
    Plan plan =
        plan(
            List.of(pool("a").vrids(1, 20).ranges("198.18.0.0/16").build()),
            services,
            List.of(N1, N2, N3));

    assertThat(plan.virtualServices().values())
        .allMatch(o -> o instanceof VirtualServiceOutcome.Planned);
    List<VrrpInstance> instances = plan.directors().get("director-1").vrrpInstances();
    assertThat(instances).hasSize(15);
    assertThat(instances).allMatch(i -> i.vips().size() == 20);
    assertThat(instances.stream().map(VrrpInstance::vrid).distinct()).hasSize(15);
    assertThat(plan.pools().get("a").allocations()).hasSize(300);
  }

  @Test
  void unicastPoolsSendAdvertsToTheOtherNodesInternalIps() {
    Plan plan =
        plan(
            List.of(pool("a").unicast().build()),
            List.of(service("web", "a").build()),
            List.of(N1, N2, N3));

    VrrpInstance onTwo = plan.directors().get("director-2").vrrpInstances().get(0);
    assertThat(onTwo.unicastPeers()).containsExactly("198.18.100.1", "198.18.100.3");
    assertThat(onTwo.multicastGroup()).isNull();
  }

  @Test
  void backendsFromResolvesTheServicesReadyEndpointsOnThePortNamed() {
    EndpointSliceFacts slice =
        new EndpointSliceFacts(
            "web",
            "pods",
            "IPv4",
            List.of(
                new EndpointSliceFacts.Port("metrics", 9090, "TCP"),
                new EndpointSliceFacts.Port("http", 8080, "TCP")),
            List.of(
                new EndpointSliceFacts.Endpoint("198.18.2.3", true),
                new EndpointSliceFacts.Endpoint("198.18.2.1", true),
                new EndpointSliceFacts.Endpoint("198.18.2.2", false)));
    EndpointSliceFacts otherNamespace =
        new EndpointSliceFacts(
            "shop",
            "pods",
            "IPv4",
            slice.ports(),
            List.of(new EndpointSliceFacts.Endpoint("198.18.9.9", true)));
    VirtualService vs = service("web", "pods").backendsFrom("pods", "http").build();

    Plan plan =
        Planner.plan(
            new PlanInput(
                List.of(pool("a").build()),
                List.of(vs),
                List.of(N1),
                List.of(otherNamespace, slice),
                Allocations.none()));

    assertThat(plan.directors().get("director-1").allVirtualServers().get(0).realServers())
        .extracting(RealServer::address, RealServer::port, RealServer::weight)
        .containsExactly(tuple("198.18.2.1", 8080, 1), tuple("198.18.2.3", 8080, 1));
    assertThat(planned(plan, "web/pods").notes()).isEmpty();
  }

  @Test
  void aServiceKeptAcrossPlansGetsTheEndpointsItsSlicesHaveNow() {
    PlanMemo memo = new PlanMemo();
    VirtualService vs = service("web", "pods").backendsFrom("pods", null).build();
    VirtualService other = service("web", "static").realServer("198.18.3.1").build();
    List<PlanInput> inputs = new ArrayList<>();
    for (String address : List.of("198.18.2.1", "198.18.2.2", "198.18.2.2")) {
      inputs.add(
          new PlanInput(
              List.of(pool("a").build()),
              List.of(vs, other),
              List.of(N1),
              List.of(
                  new EndpointSliceFacts(
                      "web",
                      "pods",
                      "IPv4",
                      List.of(new EndpointSliceFacts.Port("http", 8080, "TCP")),
                      List.of(new EndpointSliceFacts.Endpoint(address, true)))),
              Allocations.none()));
    }

    for (PlanInput input : inputs) {
      // The same VirtualService objects each time: only the slices say where the pods are.
      Plan plan = Planner.plan(input, memo);
      assertThat(plan).isEqualTo(Planner.plan(input));
      assertThat(
              plan.directors().get("director-1").allVirtualServers().stream()
                  .filter(v -> v.owner().name().equals("pods"))
                  .flatMap(v -> v.realServers().stream())
                  .map(RealServer::address))
          .containsExactly(input.endpointSlices().get(0).endpoints().get(0).address());
    }
  }

  @Test
  void aMissingBackendServiceIsANoteNotARejection() {
    VirtualService vs = service("web", "pods").backendsFrom("pods", null).build();
    Plan plan = plan(List.of(pool("a").build()), List.of(vs), List.of(N1));

    assertThat(planned(plan, "web/pods").notes())
        .containsExactly("Service web/pods has no IPv4 EndpointSlices yet");
    assertThat(plan.directors().get("director-1").allVirtualServers().get(0).realServers())
        .isEmpty();
  }

  @Test
  void servicesSharingAVipOnOtherPortsShareItsInstance() {
    Plan plan =
        plan(
            List.of(pool("a").build()),
            List.of(
                service("web", "http").vip("198.18.0.50").port(80).created(at(1)).build(),
                service("mail", "smtp").vip("198.18.0.50").port(25).created(at(2)).build()),
            List.of(N1, N2));

    assertThat(planned(plan, "mail/smtp").vrid()).isEqualTo(planned(plan, "web/http").vrid());
    assertThat(plan.pools().get("a").allocations())
        .singleElement()
        .satisfies(a -> assertThat(a.virtualServices()).containsExactly("mail/smtp", "web/http"));
  }

  @Test
  void aNotReadyPreferredMasterHandsThePlanToTheNextNodeButKeepsItsInstance() {
    List<VirtualService> services =
        List.of(service("web", "a").preferredNode("director-1").build());
    Plan plan = plan(List.of(pool("a").build()), services, List.of(notReady(N1), N2, N3));

    VirtualServiceOutcome.Planned a = planned(plan, "web/a");
    assertThat(a.preferredMaster()).isEqualTo("director-1");
    assertThat(a.plannedMaster()).isIn("director-2", "director-3");
    // The NotReady node keeps its Director: its agent may be running and must not be cut off.
    assertThat(plan.directors()).containsKey("director-1");
    assertThat(plan.pools().get("a").nodes())
        .containsExactly(
            new PoolNode("director-1", "198.18.100.1", false),
            new PoolNode("director-2", "198.18.100.2", true),
            new PoolNode("director-3", "198.18.100.3", true));
  }

  @Test
  void aNodeMatchingTwoPoolsDirectsForTheOlderOne() {
    NodeFacts both =
        new NodeFacts("n", Map.of(Fixtures.POOL_LABEL, "a"), List.of("198.18.100.9"), true);
    DirectorPool older = pool("a").created(at(1)).build();
    DirectorPool younger = pool("b").created(at(2)).ranges("198.18.1.0/24").build();
    younger.getSpec().nodeSelector().setMatchLabels(Map.of());

    Plan plan = plan(List.of(younger, older), List.of(), List.of(both));

    assertThat(plan.directors().get("n").poolName()).isEqualTo("a");
    assertThat(plan.pools().get("b").problems())
        .extracting(Problem::reason)
        .containsExactly("NodeInOlderPool");
  }

  @Test
  void removingAServiceMovesNoOtherAndItsVipIsFreeAgain() {
    DirectorPool a = pool("a").build();
    List<VirtualService> services = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      services.add(service("web", "vs" + i).created(at(i)).build());
    }
    Plan before = plan(List.of(a), services, List.of(N1, N2));
    VirtualService removed = services.remove(0);
    Plan after =
        Planner.plan(
            new PlanInput(List.of(a), services, List.of(N1, N2), List.of(), before.allocations()));

    for (VirtualService vs : services) {
      VirtualServiceKey key = VirtualServiceKey.of(vs);
      assertThat(after.virtualServices().get(key)).isEqualTo(before.virtualServices().get(key));
    }
    String freed = planned(before, "web/" + removed.getMetadata().getName()).vip();
    services.add(service("web", "new").created(at(100)).build());
    Plan again =
        Planner.plan(
            new PlanInput(List.of(a), services, List.of(N1, N2), List.of(), after.allocations()));
    assertThat(planned(again, "web/new").vip()).isEqualTo(freed);
  }

  @Test
  void instancesOfANodeThatLeftThePoolMoveToTheLeastLoadedNode() {
    DirectorPool a = pool("a").build();
    List<VirtualService> services =
        IntStream.range(0, 6)
            .mapToObj(i -> service("web", "vs" + i).created(at(i)).build())
            .toList();
    Plan before = plan(List.of(a), services, List.of(N1, N2, N3));
    Plan after =
        Planner.plan(
            new PlanInput(List.of(a), services, List.of(N1, N2), List.of(), before.allocations()));

    Map<String, Long> instancesByMaster =
        after.pools().get("a").allocations().stream()
            .collect(
                Collectors.toMap(VipAllocation::vrid, VipAllocation::preferredMaster, (x, y) -> x))
            .values()
            .stream()
            .collect(Collectors.groupingBy(m -> m, Collectors.counting()));
    assertThat(instancesByMaster).containsOnlyKeys("director-1", "director-2");
    assertThat(instancesByMaster.values()).containsExactlyInAnyOrder(1L, 2L);
    // The instances of the nodes that stayed did not move.
    for (VirtualServiceOutcome o : before.virtualServices().values()) {
      VirtualServiceOutcome.Planned was = (VirtualServiceOutcome.Planned) o;
      if (!was.preferredMaster().equals("director-3")) {
        assertThat(after.virtualServices().get(was.key())).isEqualTo(was);
      }
    }
    assertThat(after.directors()).doesNotContainKey("director-3");
  }

  @Test
  void fwmarkServicesRunOnEveryNodeWithoutAVip() {
    Plan plan =
        plan(
            List.of(pool("a").build()),
            List.of(service("web", "mark").fwmark(5).build()),
            List.of(N1, N2));

    VirtualServiceOutcome.Planned mark = planned(plan, "web/mark");
    assertThat(mark.vip()).isNull();
    assertThat(mark.instance()).isNull();
    assertThat(plan.directors().get("director-2").virtualServers())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.fwmark()).isEqualTo(5L);
              assertThat(s.realServers()).extracting(RealServer::port).containsExactly(0);
            });
    assertThat(plan.directors().get("director-2").vrrpInstances()).isEmpty();
  }

  @Test
  void allocationRoundTripsThroughDirectors() {
    DirectorPool a = pool("a").build();
    List<VirtualService> services =
        IntStream.range(0, 5)
            .mapToObj(i -> service("web", "vs" + i).created(at(i)).build())
            .toList();
    Plan plan = plan(List.of(a), services, List.of(N1, N2));
    List<io.kubelvs.api.v1alpha1.Director> directors = new ArrayList<>();
    plan.directors()
        .forEach(
            (name, spec) -> {
              io.kubelvs.api.v1alpha1.Director d = new io.kubelvs.api.v1alpha1.Director();
              d.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
              d.getMetadata().setName(name);
              d.setSpec(spec);
              directors.add(d);
            });

    assertThat(Allocations.fromDirectors(directors)).isEqualTo(plan.allocations());
  }
}
