package io.kubelvs.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The made-up Widget CRD the validator's own tests run against, and manifests for it. */
final class Widgets {

  static final Path CRD = resource("/schema-harness/widgets.example.test.yaml");

  static final CrdValidator VALIDATOR = CrdValidator.load(CRD);

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Widgets() {}

  /** A Widget named {@code front} in namespace {@code lb} with the given spec. */
  static ObjectNode withSpec(String specYaml) {
    ObjectNode widget =
        yaml(
            """
            apiVersion: example.test/v1
            kind: Widget
            metadata:
              name: front
              namespace: lb
            """);
    widget.set("spec", yaml(specYaml));
    return widget;
  }

  /** The smallest valid spec: required fields and exactly one of color and paint. */
  static ObjectNode minimal() {
    return withSpec(
        """
        size: Small
        color: blue
        servers:
          - address: 198.18.1.1
        """);
  }

  static ValidationResult validateSpec(String specYaml) {
    return VALIDATOR.validate(withSpec(specYaml));
  }

  static ObjectNode yaml(String text) {
    try {
      return (ObjectNode) YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code crdYaml} to a file in {@code directory} and loads it. */
  static CrdValidator loadCrd(Path directory, String crdYaml) {
    try {
      Path file = Files.writeString(directory.resolve("crd.yaml"), crdYaml);
      return CrdValidator.load(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A one-version CRD {@code gadgets.example.test} whose spec has the given schema. */
  static String gadgetCrd(String specSchemaYaml) {
    return """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: gadgets.example.test
        spec:
          group: example.test
          names: {kind: Gadget, plural: gadgets, singular: gadget, listKind: GadgetList}
          scope: Cluster
          versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec:
        %s
        """
        .formatted(specSchemaYaml.indent(14).stripTrailing());
  }

  static JsonNode gadget(String specYaml) {
    ObjectNode gadget =
        yaml(
            """
            apiVersion: example.test/v1
            kind: Gadget
            metadata:
              name: g
            """);
    gadget.set("spec", yaml(specYaml));
    return gadget;
  }

  private static Path resource(String name) {
    try {
      return Path.of(Widgets.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
