package io.kubelvs.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only view of one node of a CRD's {@code openAPIV3Schema}, named in the words of the
 * apiextensions "structural schema" the API server builds from it.
 */
record OpenApiSchema(JsonNode node) {

  String type() {
    return node.path("type").asText("");
  }

  boolean isObject() {
    return type().equals("object");
  }

  boolean nullable() {
    return node.path("nullable").asBoolean(false);
  }

  String format() {
    return node.path("format").asText("");
  }

  boolean isIntOrString() {
    return node.path("x-kubernetes-int-or-string").asBoolean(false);
  }

  boolean preservesUnknownFields() {
    return node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
  }

  /** An embedded resource carries its own apiVersion, kind and metadata, like the root does. */
  boolean isEmbeddedResource() {
    return node.path("x-kubernetes-embedded-resource").asBoolean(false);
  }

  Map<String, OpenApiSchema> properties() {
    Map<String, OpenApiSchema> properties = new LinkedHashMap<>();
    node.path("properties")
        .properties()
        .forEach(e -> properties.put(e.getKey(), new OpenApiSchema(e.getValue())));
    return properties;
  }

  boolean hasProperties() {
    return node.has("properties");
  }

  Optional<OpenApiSchema> property(String name) {
    return Optional.ofNullable(node.path("properties").get(name)).map(OpenApiSchema::new);
  }

  Optional<OpenApiSchema> items() {
    return Optional.ofNullable(node.get("items")).map(OpenApiSchema::new);
  }

  /**
   * The schema every value of a map-like object must match ({@code additionalProperties: {...}}).
   */
  Optional<OpenApiSchema> additionalProperties() {
    JsonNode additional = node.get("additionalProperties");
    return additional != null && additional.isObject()
        ? Optional.of(new OpenApiSchema(additional))
        : Optional.empty();
  }

  /** Whether fields outside {@code properties} survive pruning. */
  boolean allowsUndeclaredFields() {
    return preservesUnknownFields()
        || node.path("additionalProperties").asBoolean(false)
        || additionalProperties().isPresent();
  }

  Optional<JsonNode> defaultValue() {
    JsonNode value = node.get("default");
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
  }

  /** {@code atomic} unless the schema says {@code set} or {@code map}. */
  String listType() {
    return node.path("x-kubernetes-list-type").asText("atomic");
  }

  List<String> listMapKeys() {
    List<String> keys = new ArrayList<>();
    node.path("x-kubernetes-list-map-keys").forEach(key -> keys.add(key.asText()));
    return keys;
  }

  List<ValidationRule> validations() {
    List<ValidationRule> rules = new ArrayList<>();
    node.path("x-kubernetes-validations").forEach(rule -> rules.add(ValidationRule.of(rule)));
    return rules;
  }

  /** One {@code x-kubernetes-validations} entry. Absent strings are empty. */
  record ValidationRule(
      String rule,
      String message,
      String messageExpression,
      String fieldPath,
      String reason,
      boolean optionalOldSelf) {

    static ValidationRule of(JsonNode node) {
      return new ValidationRule(
          node.path("rule").asText("").trim(),
          node.path("message").asText("").trim(),
          node.path("messageExpression").asText("").trim(),
          node.path("fieldPath").asText(""),
          node.path("reason").asText(""),
          node.path("optionalOldSelf").asBoolean(false));
    }
  }
}
