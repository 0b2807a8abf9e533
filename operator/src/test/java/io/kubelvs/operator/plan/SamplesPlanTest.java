package io.kubelvs.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import io.kubelvs.api.v1alpha1.RealServer;
import io.kubelvs.api.v1alpha1.VirtualServer;
import io.kubelvs.api.v1alpha1.VirtualService;
import io.kubelvs.api.v1alpha1.VrrpInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The manifests under samples/, as a user applies them, planned onto two director nodes. */
class SamplesPlanTest {

  private static final Path SAMPLES = Path.of(System.getProperty("user.dir"), "..", "samples");

  @Test
  void theSeedScenarioIsOneInstanceOnTwoDirectorsWithPriorities100And98() throws IOException {
    DirectorPool seed = read("seed/directorpool.yaml", DirectorPool.class).get(0);
    List<VirtualService> services =
        List.of(
            read("seed/virtualservice.yaml", VirtualService.class).get(0),
            read("tcp-check/virtualservice.yaml", VirtualService.class).get(0),
            read("backends-from-service/virtualservice.yaml", VirtualService.class).get(0));
    EndpointSliceFacts pods =
        new EndpointSliceFacts(
            "default",
            "web",
            "IPv4",
            List.of(new EndpointSliceFacts.Port("http", 8080, "TCP")),
            List.of(
                new EndpointSliceFacts.Endpoint("198.18.2.1", true),
                new EndpointSliceFacts.Endpoint("198.18.2.2", true)));
    List<NodeFacts> nodes =
        List.of(
            node("director-1", "seed", "198.18.100.1"), node("director-2", "seed", "198.18.100.2"));

    Plan plan =
        Planner.plan(
            new PlanInput(List.of(seed), services, nodes, List.of(pods), Allocations.none()));

    assertThat(plan.virtualServices().values())
        .extracting(o -> o.key().toString(), o -> ((VirtualServiceOutcome.Planned) o).vip())
        .containsExactly(
            tuple("default/postgres", "172.16.53.60"),
            tuple("default/seed-web", "172.16.53.50"),
            tuple("default/web-pods", "172.16.53.64"));
    List<VrrpInstance> instances =
        plan.directors().values().stream().map(d -> d.vrrpInstances().get(0)).toList();
    assertThat(instances)
        .extracting(
            VrrpInstance::vrid,
            VrrpInstance::version,
            VrrpInstance::multicastGroup,
            VrrpInstance::vips)
        .containsOnly(
            tuple(99, 2, "224.0.100.99", List.of("172.16.53.50", "172.16.53.60", "172.16.53.64")));
    assertThat(instances).extracting(VrrpInstance::priority).containsExactlyInAnyOrder(100, 98);
    assertThat(instances.get(0).authentication()).isEqualTo(seed.getSpec().vrrp().authentication());

    DirectorSpec director = plan.directors().get("director-1");
    assertThat(director.notification()).isEqualTo(seed.getSpec().notification());
    assertThat(director.allVirtualServers())
        .extracting(VirtualServer::name)
        .containsExactly(
            "default/postgres/5432-tcp", "default/seed-web/80-tcp", "default/web-pods/80-tcp");
    assertThat(director.allVirtualServers().get(2).realServers())
        .extracting(RealServer::address, RealServer::port)
        .containsExactly(tuple("198.18.2.1", 8080), tuple("198.18.2.2", 8080));
  }

  @Test
  void activeActivePinsEachVipToItsDirector() throws IOException {
    DirectorPool pool = read("active-active/directorpool.yaml", DirectorPool.class).get(0);
    List<VirtualService> services =
        read("active-active/virtualservices.yaml", VirtualService.class);
    List<NodeFacts> nodes =
        List.of(
            node("director-1", "active-active", "198.18.100.1"),
            node("director-2", "active-active", "198.18.100.2"));

    Plan plan =
        Planner.plan(new PlanInput(List.of(pool), services, nodes, List.of(), Allocations.none()));

    assertThat(plan.virtualServices().values())
        .extracting(
            o -> o.key().name(),
            o -> ((VirtualServiceOutcome.Planned) o).vrid(),
            o -> ((VirtualServiceOutcome.Planned) o).preferredMaster())
        .containsExactly(tuple("web-a", 100, "director-1"), tuple("web-b", 101, "director-2"));
    assertThat(plan.directors().get("director-1").vrrpInstances())
        .extracting(VrrpInstance::vrid, VrrpInstance::priority)
        .containsExactly(tuple(100, 100), tuple(101, 98));
  }

  private static NodeFacts node(String name, String pool, String address) {
    return new NodeFacts(name, Map.of("kubelvs.io/pool", pool), List.of(address), true);
  }

  private static <T> List<T> read(String sample, Class<T> type) throws IOException {
    String text = Files.readString(SAMPLES.resolve(sample));
    return Arrays.stream(text.split("(?m)^---\\s*$"))
        .filter(doc -> doc.contains("kind:"))
        .map(doc -> Serialization.unmarshal(doc, type))
        .toList();
  }
}
