package io.kubelvs.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubelvs.api.schema.CrdValidator;
import io.kubelvs.api.schema.ValidationResult;
import io.kubelvs.api.v1alpha1.ApiGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every manifest under samples/ is accepted by the generated CRDs, the way an API server would
 * accept it (schema, defaults, list topology, CEL rules), and reads into the Java types.
 */
class SamplesTest {
  private static final Path SAMPLES = Path.of(System.getProperty("user.dir"), "..", "samples");
  private static final CrdValidator CRDS = CrdValidator.load(GeneratedCrds.checkedInFiles());

  static Stream<Path> sampleManifests() throws IOException {
    try (Stream<Path> files = Files.walk(SAMPLES)) {
      return files
          .filter(f -> f.toString().endsWith(".yaml"))
          .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
          .sorted()
          .toList()
          .stream();
    }
  }

  static Stream<JsonNode> kubelvsDocuments() throws IOException {
    return sampleManifests()
        .flatMap(f -> CrdValidator.readYaml(f).stream())
        .filter(doc -> doc.path("apiVersion").asText().equals(ApiGroup.API_VERSION));
  }

  @ParameterizedTest
  @MethodSource("sampleManifests")
  void everySampleIsAcceptedByTheCrds(Path sample) {
    for (JsonNode doc : CrdValidator.readYaml(sample)) {
      if (!doc.path("apiVersion").asText().equals(ApiGroup.API_VERSION)) {
        continue;
      }
      ValidationResult result = CRDS.validate(doc);
      assertThat(result.errors()).as("%s (%s)", sample, doc.path("kind").asText()).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("kubelvsDocuments")
  void everySampleReadsIntoTheJavaTypesAndBack(JsonNode doc) throws IOException {
    Class<? extends HasMetadata> type =
        GeneratedCrds.KINDS.stream()
            .filter(k -> HasMetadata.getKind(k).equals(doc.path("kind").asText()))
            .findFirst()
            .orElseThrow();
    HasMetadata resource = Serialization.unmarshal(doc.toString(), type);
    // Compare as parsed text: a Long field and an int literal are equal values, unequal nodes.
    JsonNode written = Serialization.jsonMapper().readTree(Serialization.asJson(resource));
    JsonNode read = Serialization.jsonMapper().readTree(doc.toString());
    assertThat(written.get("spec")).isEqualTo(read.get("spec"));
  }

  @Test
  void samplesCoverEveryScenario() throws IOException {
    List<String> dirs =
        sampleManifests().map(f -> SAMPLES.relativize(f).getName(0).toString()).distinct().toList();
    assertThat(dirs).contains("seed", "active-active", "tcp-check", "backends-from-service");
    assertThat(SAMPLES.resolve("keepalived/keepalived.conf")).exists();
  }
}
