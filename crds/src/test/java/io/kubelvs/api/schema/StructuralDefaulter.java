package io.kubelvs.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Defaulting as the API server does it on create (apiextensions-apiserver {@code
 * schema/defaulting}): first drop nulls the schema does not allow and cannot default, then fill in
 * {@code default:} values top-down, so a default inside an object applies only where that object
 * exists, given or itself defaulted.
 */
final class StructuralDefaulter {

  private StructuralDefaulter() {}

  static void applyDefaults(JsonNode resource, OpenApiSchema schema) {
    pruneNonNullableNullsWithoutDefaults(resource, Optional.of(schema));
    defaultValues(resource, schema);
  }

  private static void pruneNonNullableNullsWithoutDefaults(
      JsonNode value, Optional<OpenApiSchema> schema) {
    if (value instanceof ObjectNode object) {
      for (String name : fieldNames(object)) {
        Optional<OpenApiSchema> field = schema.flatMap(s -> fieldSchema(s, name));
        JsonNode fieldValue = object.get(name);
        boolean nonNullableNull =
            fieldValue.isNull()
                && field.isPresent()
                && !field.get().nullable()
                && field.get().defaultValue().isEmpty();
        if (nonNullableNull) {
          object.remove(name);
        } else {
          pruneNonNullableNullsWithoutDefaults(fieldValue, field);
        }
      }
    } else if (value instanceof ArrayNode array) {
      Optional<OpenApiSchema> items = schema.flatMap(OpenApiSchema::items);
      array.forEach(item -> pruneNonNullableNullsWithoutDefaults(item, items));
    }
  }

  private static Optional<OpenApiSchema> fieldSchema(OpenApiSchema schema, String name) {
    return schema.property(name).or(schema::additionalProperties);
  }

  private static void defaultValues(JsonNode value, OpenApiSchema schema) {
    if (value instanceof ObjectNode object) {
      Map<String, OpenApiSchema> properties = schema.properties();
      properties.forEach(
          (name, property) ->
              property
                  .defaultValue()
                  .filter(unused -> isAbsentOrNonNullableNull(object.get(name), property))
                  .ifPresent(defaultValue -> object.set(name, defaultValue.deepCopy())));
      for (String name : fieldNames(object)) {
        OpenApiSchema property = properties.get(name);
        Optional<OpenApiSchema> values = schema.additionalProperties();
        if (property != null) {
          defaultValues(object.get(name), property);
        } else if (values.isPresent()) {
          replaceNonNullableNull(object.get(name), values.get(), v -> object.set(name, v));
          defaultValues(object.get(name), values.get());
        }
      }
    } else if (value instanceof ArrayNode array) {
      schema
          .items()
          .ifPresent(
              items -> {
                for (int i = 0; i < array.size(); i++) {
                  int index = i;
                  replaceNonNullableNull(array.get(i), items, v -> array.set(index, v));
                  defaultValues(array.get(i), items);
                }
              });
    }
  }

  private static boolean isAbsentOrNonNullableNull(JsonNode value, OpenApiSchema schema) {
    return value == null || (value.isNull() && !schema.nullable());
  }

  private static void replaceNonNullableNull(
      JsonNode value, OpenApiSchema schema, Consumer<JsonNode> replace) {
    if (value.isNull() && !schema.nullable()) {
      schema.defaultValue().ifPresent(defaultValue -> replace.accept(defaultValue.deepCopy()));
    }
  }

  /** A copy of the field names, so fields can be removed while iterating. */
  private static List<String> fieldNames(JsonNode object) {
    return object.properties().stream().map(Map.Entry::getKey).toList();
  }
}
