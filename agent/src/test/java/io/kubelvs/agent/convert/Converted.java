package io.kubelvs.agent.convert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kubelvs.agent.config.KeepalivedConf;
import io.kubelvs.agent.config.KeepalivedConfException;
import io.kubelvs.api.schema.CrdValidator;
import io.kubelvs.api.v1alpha1.ApiGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A keepalived.conf converted as {@code kubelvs-agent convert} does, its YAML read back the way
 * kubectl would, and the checked-in CRDs to validate it with as an API server would.
 */
final class Converted {
  static final Path SAMPLES = Path.of("..", "samples");

  /** crds' own validator, over the CRDs checked in next to this module. */
  static final CrdValidator CRDS =
      CrdValidator.load(
          List.of(
              Path.of("..", "crds", "directorpools.kubelvs.io.yaml"),
              Path.of("..", "crds", "virtualservices.kubelvs.io.yaml"),
              Path.of("..", "crds", "directors.kubelvs.io.yaml"),
              Path.of("..", "crds", "virtualserversets.kubelvs.io.yaml")));

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  final String yaml;
  final List<JsonNode> documents;

  private Converted(String yaml) {
    this.yaml = yaml;
    this.documents = readYaml(yaml);
  }

  static Converted file(Path conf, Optional<String> pool) throws KeepalivedConfException {
    Conversion conversion =
        KeepalivedToKubernetes.convert(
            KeepalivedConf.parse(conf),
            new KeepalivedToKubernetes.Options("default", pool, "director-1"));
    return new Converted(conversion.toYaml());
  }

  static Converted text(Path dir, String keepalivedConf) throws KeepalivedConfException {
    return file(write(dir, keepalivedConf), Optional.empty());
  }

  static Path write(Path dir, String keepalivedConf) {
    try {
      return Files.writeString(dir.resolve("keepalived.conf"), keepalivedConf);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<JsonNode> readYaml(String yaml) {
    try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
      return documents.readAll().stream().filter(d -> d != null && !d.isNull()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("not YAML:\n" + yaml, e);
    }
  }

  /** The documents of this kind, in output order. */
  List<JsonNode> ofKind(String kind) {
    return documents.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
  }

  JsonNode one(String kind) {
    List<JsonNode> found = ofKind(kind);
    assertThat(found).as("%s documents in\n%s", kind, yaml).hasSize(1);
    return found.get(0);
  }

  /** Every kubelvs resource of the output passes the CRDs as kubectl create would. */
  void assertAcceptedByTheCrds() {
    List<JsonNode> kubelvs =
        documents.stream()
            .filter(d -> d.path("apiVersion").asText().equals(ApiGroup.API_VERSION))
            .toList();
    assertThat(kubelvs).isNotEmpty();
    for (JsonNode doc : kubelvs) {
      assertThat(CRDS.validate(doc).errors())
          .as("%s %s", doc.path("kind").asText(), doc.path("metadata").path("name").asText())
          .isEmpty();
    }
  }

  /** The spec as the API server stores it: with the CRD's defaults filled in. */
  static ObjectNode defaultedSpec(JsonNode resource) {
    return (ObjectNode) CRDS.applyDefaults(resource).get("spec").deepCopy();
  }

  /** The comment lines of the output, without their '# '. */
  List<String> comments() {
    return yaml.lines().filter(l -> l.startsWith("# ")).map(l -> l.substring(2)).toList();
  }

  /**
   * The comment lines just above the document of {@code kind} named {@code name}: after the
   * previous document, or after the header.
   */
  List<String> commentsAbove(String kind, String name) {
    List<String> lines = yaml.lines().toList();
    int start = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).equals("---") || lines.get(i).isEmpty()) {
        start = i + 1;
      }
      if (lines.get(i).equals("kind: \"" + kind + "\"")
          && lines.get(i + 2).equals("  name: \"" + name + "\"")) {
        return lines.subList(start, i).stream()
            .filter(l -> l.startsWith("# "))
            .map(l -> l.substring(2))
            .toList();
      }
    }
    throw new AssertionError(kind + " " + name + " not in\n" + yaml);
  }
}
