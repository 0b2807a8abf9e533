package io.kubelvs.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * Turns a CRD's OpenAPI v3 schema into a JSON Schema draft 4 document, the draft whose keywords
 * OpenAPI 3.0 borrowed (boolean {@code exclusiveMinimum}, {@code type} as a string). Only value
 * validations survive: defaults, descriptions and {@code x-kubernetes-*} extensions are other
 * steps' business, and unknown fields are not a schema error here but an {@link
 * UnknownFieldChecker} one.
 */
final class OpenApiToJsonSchema {

  /** Keywords whose OpenAPI and draft 4 meanings are the same. */
  private static final List<String> VALUE_VALIDATIONS =
      List.of(
          "enum",
          "minimum",
          "maximum",
          "exclusiveMinimum",
          "exclusiveMaximum",
          "multipleOf",
          "pattern",
          "minLength",
          "maxLength",
          "minItems",
          "maxItems",
          "uniqueItems",
          "minProperties",
          "maxProperties",
          "required");

  private static final List<String> SCHEMA_LISTS = List.of("allOf", "anyOf", "oneOf");

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private OpenApiToJsonSchema() {}

  static ObjectNode convert(OpenApiSchema schema) {
    JsonNode node = schema.node();
    ObjectNode jsonSchema = JSON.objectNode();
    typeOf(schema).ifPresent(type -> jsonSchema.set("type", type));
    VALUE_VALIDATIONS.stream()
        .filter(node::has)
        .forEach(keyword -> jsonSchema.set(keyword, node.get(keyword).deepCopy()));
    if (KubernetesFormats.isChecked(schema.format())) {
      jsonSchema.put("format", schema.format());
    }
    if (schema.hasProperties()) {
      ObjectNode properties = jsonSchema.putObject("properties");
      schema.properties().forEach((name, property) -> properties.set(name, convert(property)));
    }
    schema.items().ifPresent(items -> jsonSchema.set("items", convert(items)));
    schema
        .additionalProperties()
        .ifPresent(values -> jsonSchema.set("additionalProperties", convert(values)));
    for (String keyword : SCHEMA_LISTS) {
      if (node.has(keyword)) {
        ArrayNode members = jsonSchema.putArray(keyword);
        node.get(keyword).forEach(member -> members.add(convert(new OpenApiSchema(member))));
      }
    }
    if (node.has("not")) {
      jsonSchema.set("not", convert(new OpenApiSchema(node.get("not"))));
    }
    return jsonSchema;
  }

  /**
   * {@code x-kubernetes-int-or-string} means integer or string; {@code nullable} adds null. A
   * schema without a type (allowed inside allOf/anyOf, or with preserved unknown fields) accepts
   * any type.
   */
  private static Optional<JsonNode> typeOf(OpenApiSchema schema) {
    ArrayNode types = JSON.arrayNode();
    if (schema.isIntOrString()) {
      types.add("integer").add("string");
    } else if (!schema.type().isEmpty()) {
      types.add(schema.type());
    } else {
      return Optional.empty();
    }
    if (schema.nullable()) {
      types.add("null");
    }
    return Optional.of(types.size() == 1 ? types.get(0) : types);
  }
}
