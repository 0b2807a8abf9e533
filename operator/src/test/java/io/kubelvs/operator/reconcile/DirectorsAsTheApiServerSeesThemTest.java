package io.kubelvs.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubelvs.api.schema.CrdValidator;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.VirtualService;
import io.kubelvs.operator.plan.Allocations;
import io.kubelvs.operator.plan.EndpointSliceFacts;
import io.kubelvs.operator.plan.NodeFacts;
import io.kubelvs.operator.plan.Plan;
import io.kubelvs.operator.plan.PlanInput;
import io.kubelvs.operator.plan.Planner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Directors the operator writes, as a real API server treats them: the CRD's schema accepts
 * them, and its defaults add nothing, so the Director read back equals the next plan's and the
 * operator does not rewrite it on every pass. The inputs too are defaulted as the API server
 * defaults what users apply.
 */
class DirectorsAsTheApiServerSeesThemTest {
  private static final Path REPO = Path.of(System.getProperty("user.dir"), "..");
  private static final CrdValidator CRDS =
      CrdValidator.load(
          Stream.of(
                  "directorpools.kubelvs.io.yaml",
                  "directors.kubelvs.io.yaml",
                  "virtualservices.kubelvs.io.yaml")
              .map(f -> REPO.resolve("crds").resolve(f))
              .toList());
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(strings = {"seed", "active-active"})
  void plannedDirectorsAreValidAndTheirDefaultsChangeNothing(String pool) throws Exception {
    List<DirectorPool> pools = new ArrayList<>();
    List<VirtualService> services = new ArrayList<>();
    List<String> files =
        pool.equals("seed")
            ? List.of(
                "seed/directorpool.yaml",
                "seed/virtualservice.yaml",
                "tcp-check/virtualservice.yaml",
                "backends-from-service/virtualservice.yaml")
            : List.of("active-active/directorpool.yaml", "active-active/virtualservices.yaml");
    for (String file : files) {
      for (JsonNode doc : CrdValidator.readYaml(REPO.resolve("samples").resolve(file))) {
        JsonNode applied = CRDS.applyDefaults(doc);
        switch (doc.path("kind").asText()) {
          case "DirectorPool" -> pools.add(JSON.treeToValue(applied, DirectorPool.class));
          case "VirtualService" -> services.add(JSON.treeToValue(applied, VirtualService.class));
          default -> {}
        }
      }
    }
    pools.forEach(p -> p.getMetadata().setUid("uid-" + p.getMetadata().getName()));
    Plan plan =
        Planner.plan(
            new PlanInput(
                pools,
                services,
                List.of(
                    node("director-1", pool, "198.18.100.1"),
                    node("director-2", pool, "198.18.100.2")),
                List.of(slice()),
                Allocations.none()));

    List<Director> written = DirectorChanges.between(plan.directors(), List.of(), pools).create();

    assertThat(written).hasSize(2);
    List<Director> readBack = new ArrayList<>();
    for (Director director : written) {
      JsonNode manifest = JSON.readTree(Serialization.asJson(director));
      assertThat(CRDS.validate(manifest).errors()).as(director.getMetadata().getName()).isEmpty();
      Director defaulted = JSON.treeToValue(CRDS.applyDefaults(manifest), Director.class);
      assertThat(JSON.valueToTree(defaulted.getSpec()).toPrettyString())
          .isEqualTo(JSON.valueToTree(director.getSpec()).toPrettyString());
      readBack.add(defaulted);
    }
    assertThat(DirectorChanges.between(plan.directors(), readBack, pools).isEmpty())
        .as("the defaulted Directors are what the plan wants")
        .isTrue();
  }

  private static NodeFacts node(String name, String pool, String address) {
    return new NodeFacts(name, Map.of("kubelvs.io/pool", pool), List.of(address), true);
  }

  private static EndpointSliceFacts slice() {
    return new EndpointSliceFacts(
        "default",
        "web",
        "IPv4",
        List.of(new EndpointSliceFacts.Port("http", 8080, "TCP")),
        List.of(new EndpointSliceFacts.Endpoint("198.18.2.1", true)));
  }
}
