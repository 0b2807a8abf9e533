package io.kubelvs.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Prints JSON values in API error messages the way the API server's Go code prints them. */
final class GoValues {

  private GoValues() {}

  /** Scalars as in field errors ({@code "text"}, {@code 42}); containers by their kind only. */
  static String brief(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "null";
    } else if (value.isObject()) {
      return "\"object\"";
    } else if (value.isArray()) {
      return "\"array\"";
    } else if (value.isFloatingPointNumber()) {
      return number(value.asDouble());
    }
    return value.toString();
  }

  /** Go prints a float64 without a fraction as an integer: {@code 65535}, not {@code 65535.0}. */
  private static String number(double value) {
    boolean integral = value == Math.rint(value) && Math.abs(value) < 1e21;
    return integral ? Long.toString((long) value) : Double.toString(value);
  }

  /** Like Go's {@code %v}: {@code map[address:198.18.1.1 port:80]}, {@code [a b]}. */
  static String printed(JsonNode value) {
    if (value.isObject()) {
      TreeMap<String, String> fields = new TreeMap<>();
      value.properties().forEach(e -> fields.put(e.getKey(), printed(e.getValue())));
      List<String> pairs = new ArrayList<>();
      fields.forEach((k, v) -> pairs.add(k + ":" + v));
      return "map[" + String.join(" ", pairs) + "]";
    } else if (value.isArray()) {
      List<String> items = new ArrayList<>();
      value.forEach(item -> items.add(printed(item)));
      return "[" + String.join(" ", items) + "]";
    } else if (value.isNull()) {
      return "<nil>";
    } else if (value.isFloatingPointNumber()) {
      return number(value.asDouble());
    }
    return value.asText();
  }
}
