package io.kubelvs.api.schema;

import java.util.Optional;

/**
 * Parses a rule's {@code fieldPath} ({@code .spec.servers}, {@code
 * .labels['app.kubernetes.io/name']}) against the schema it is relative to, as apiextensions'
 * {@code ValidFieldPath} does: every step must name a declared property, or a key of a map-like
 * object.
 */
final class RuleFieldPaths {

  private RuleFieldPaths() {}

  /**
   * @throws IllegalArgumentException saying why the path does not refer to a field of the schema
   */
  static FieldPath resolve(String jsonPath, OpenApiSchema schema) {
    FieldPath path = FieldPath.ROOT;
    OpenApiSchema current = schema;
    int i = 0;
    while (i < jsonPath.length()) {
      char c = jsonPath.charAt(i);
      String name;
      if (c == '.') {
        int end = i + 1;
        while (end < jsonPath.length() && ".[".indexOf(jsonPath.charAt(end)) < 0) {
          end++;
        }
        name = jsonPath.substring(i + 1, end);
        if (name.isEmpty()) {
          throw new IllegalArgumentException("unexpected end of JSON path");
        }
        i = end;
      } else if (c == '[') {
        int close = closingQuote(jsonPath, i + 1);
        if (close + 1 >= jsonPath.length() || jsonPath.charAt(close + 1) != ']') {
          throw new IllegalArgumentException("expected ] after the quoted name");
        }
        name = jsonPath.substring(i + 2, close).replace("\\'", "'").replace("\\\\", "\\");
        i = close + 2;
      } else {
        throw new IllegalArgumentException("expected [ or . but got: " + jsonPath.substring(i));
      }
      Optional<OpenApiSchema> property = current.property(name);
      Optional<OpenApiSchema> mapValues = current.additionalProperties();
      if (current.hasProperties() && property.isPresent()) {
        path = path.child(name);
        current = property.get();
      } else if (!current.hasProperties() && mapValues.isPresent()) {
        path = path.key(name);
        current = mapValues.get();
      } else {
        throw new IllegalArgumentException("does not refer to a valid field");
      }
    }
    return path;
  }

  private static int closingQuote(String jsonPath, int open) {
    if (open >= jsonPath.length() || jsonPath.charAt(open) != '\'') {
      throw new IllegalArgumentException("expected single quoted string after [");
    }
    for (int i = open + 1; i < jsonPath.length(); i++) {
      if (jsonPath.charAt(i) == '\'' && jsonPath.charAt(i - 1) != '\\') {
        return i;
      }
    }
    throw new IllegalArgumentException("unterminated single quoted string");
  }
}
