package io.kubelvs.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.values.CelByteString;
import dev.cel.common.values.NullValue;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JSON values as CEL sees them, following the types {@link CelSchemaTypes} declares: objects are
 * maps keyed by escaped property names (undeclared fields are invisible), integers are {@code
 * Long}, numbers {@code Double}, formatted strings timestamps, durations or bytes. A formatted
 * string that does not parse stays a string: the schema step has already reported it, and a rule
 * that uses it fails to evaluate, as it would on the API server.
 */
final class CelValues {

  private CelValues() {}

  static Object of(JsonNode value, OpenApiSchema schema) {
    if (value.isNull()) {
      return NullValue.NULL_VALUE;
    }
    return switch (schema.isIntOrString() ? "" : schema.type()) {
      case "object" -> value.isObject() ? objectOf(value, schema) : untyped(value);
      case "array" -> value.isArray() ? listOf(value, schema.items()) : untyped(value);
      case "string" ->
          value.isTextual() ? stringOf(value.asText(), schema.format()) : untyped(value);
      case "number" -> value.isNumber() ? (Object) value.asDouble() : untyped(value);
      default -> untyped(value);
    };
  }

  private static Map<String, Object> objectOf(JsonNode object, OpenApiSchema schema) {
    Map<String, Object> map = new LinkedHashMap<>();
    Optional<OpenApiSchema> values = schema.additionalProperties();
    if (values.isPresent()) {
      object.properties().forEach(e -> map.put(e.getKey(), of(e.getValue(), values.get())));
      return map;
    }
    Map<String, OpenApiSchema> properties = schema.properties();
    CelSchemaTypes.celFieldNames(schema)
        .forEach(
            (name, celName) -> {
              if (object.has(name)) {
                map.put(celName, of(object.get(name), properties.get(name)));
              }
            });
    return map;
  }

  private static List<Object> listOf(JsonNode array, Optional<OpenApiSchema> items) {
    List<Object> list = new ArrayList<>();
    array.forEach(item -> list.add(items.isPresent() ? of(item, items.get()) : untyped(item)));
    return list;
  }

  private static Object stringOf(String text, String format) {
    try {
      return switch (format) {
        case "date-time" -> OffsetDateTime.parse(text).toInstant();
        case "date" -> LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        case "duration" -> KubernetesFormats.goDuration(text).map(d -> (Object) d).orElse(text);
        case "byte" -> CelByteString.of(Base64.getDecoder().decode(text));
        default -> text;
      };
    } catch (DateTimeParseException | IllegalArgumentException e) {
      // Already an error of the format check; rules reading it fail as they would in the cluster.
      return text;
    }
  }

  /** Values without a schema type (int-or-string, preserved unknown fields): by their JSON kind. */
  private static Object untyped(JsonNode value) {
    if (value.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      value.properties().forEach(e -> map.put(e.getKey(), untyped(e.getValue())));
      return map;
    } else if (value.isArray()) {
      List<Object> list = new ArrayList<>();
      value.forEach(item -> list.add(untyped(item)));
      return list;
    } else if (value.isIntegralNumber()) {
      return value.asLong();
    } else if (value.isNumber()) {
      return value.asDouble();
    } else if (value.isBoolean()) {
      return value.asBoolean();
    } else if (value.isNull()) {
      return NullValue.NULL_VALUE;
    }
    return value.asText();
  }
}
