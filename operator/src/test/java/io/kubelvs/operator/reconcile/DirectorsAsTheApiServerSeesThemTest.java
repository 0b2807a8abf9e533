package io.kubelvs.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubelvs.api.schema.CrdValidator;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
import io.kubelvs.api.v1alpha1.VirtualService;
import io.kubelvs.operator.plan.Allocations;
import io.kubelvs.operator.plan.EndpointSliceFacts;
import io.kubelvs.operator.plan.NodeFacts;
import io.kubelvs.operator.plan.Plan;
import io.kubelvs.operator.plan.PlanInput;
import io.kubelvs.operator.plan.Planner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Directors and VirtualServerSets the operator writes, as a real API server treats them: the
 * CRD's schema accepts them, and its defaults add nothing, so the Director read back equals the
 * next plan's and the operator does not rewrite it on every pass. The inputs too are defaulted as
 * the API server defaults what users apply.
 */
class DirectorsAsTheApiServerSeesThemTest {
  private static final Path REPO = Path.of(System.getProperty("user.dir"), "..");
  private static final CrdValidator CRDS =
      CrdValidator.load(
          Stream.of(
                  "directorpools.kubelvs.io.yaml",
                  "directors.kubelvs.io.yaml",
                  "virtualservices.kubelvs.io.yaml",
                  "virtualserversets.kubelvs.io.yaml")
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

    SortedMap<String, VirtualServerSet> sets = VirtualServerSets.desired(plan.directors(), pools);
    assertThat(sets).isNotEmpty();
    List<VirtualServerSet> setsReadBack = new ArrayList<>();
    for (VirtualServerSet set : SetChanges.between(sets, List.of()).create()) {
      setsReadBack.add(readBack(set, VirtualServerSet.class));
    }
    assertThat(SetChanges.between(sets, setsReadBack).isEmpty())
        .as("the defaulted sets are what the plan wants")
        .isTrue();
    // As created: each at generation 1.
    setsReadBack.forEach(x -> x.getMetadata().setGeneration(1L));
    Map<String, Long> generations = new HashMap<>();
    sets.keySet().forEach(name -> generations.put(name, 1L));
    SortedMap<String, DirectorSpec> referencing =
        VirtualServerSets.referencing(plan.directors(), sets, generations, Map.of());
    List<Director> written = DirectorChanges.between(referencing, List.of(), pools).create();

    assertThat(written).hasSize(2);
    List<Director> readBack = new ArrayList<>();
    for (Director director : written) {
      readBack.add(readBack(director, Director.class));
    }
    assertThat(DirectorChanges.between(referencing, readBack, pools).isEmpty())
        .as("the defaulted Directors are what the plan wants")
        .isTrue();
    for (Director director : readBack) {
      assertThat(
              VirtualServerSets.resolved(
                  director.getSpec(), VirtualServerSets.byName(setsReadBack)))
          .as("a Director with its sets is the one planned")
          .isEqualTo(plan.directors().get(director.getMetadata().getName()));
    }
  }

  /** The object validated against its CRD and defaulted, as the API server stores it. */
  private static <T extends CustomResource<?, ?>> T readBack(T object, Class<T> kind)
      throws Exception {
    JsonNode manifest = JSON.readTree(Serialization.asJson(object));
    assertThat(CRDS.validate(manifest).errors()).as(object.getMetadata().getName()).isEmpty();
    T defaulted = JSON.treeToValue(CRDS.applyDefaults(manifest), kind);
    assertThat(JSON.valueToTree(defaulted.getSpec()).toPrettyString())
        .isEqualTo(JSON.valueToTree(object.getSpec()).toPrettyString());
    return defaulted;
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
