package io.kubelvs.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The uniqueness the API server enforces on {@code x-kubernetes-list-type: set} lists (whole items)
 * and {@code map} lists (the tuple of {@code x-kubernetes-list-map-keys}), after apiextensions'
 * {@code listtype.ValidateListSetsAndMaps}: each repeated value is reported once, at its second
 * occurrence.
 */
final class ListTopologyChecker {

  private ListTopologyChecker() {}

  static List<String> check(JsonNode resource, OpenApiSchema schema) {
    List<String> errors = new ArrayList<>();
    visit(resource, Optional.of(schema), FieldPath.ROOT, errors);
    return errors;
  }

  private static void visit(
      JsonNode value, Optional<OpenApiSchema> schema, FieldPath path, List<String> errors) {
    if (schema.isEmpty()) {
      return;
    }
    OpenApiSchema s = schema.get();
    if (value.isArray()) {
      switch (s.listType()) {
        case "set" -> checkSet(value, path, errors);
        case "map" -> checkMap(value, s.listMapKeys(), path, errors);
        default -> {}
      }
      for (int i = 0; i < value.size(); i++) {
        visit(value.get(i), s.items(), path.index(i), errors);
      }
    } else if (value.isObject()) {
      value
          .properties()
          .forEach(
              field -> {
                Optional<OpenApiSchema> property = s.property(field.getKey());
                if (property.isPresent()) {
                  visit(field.getValue(), property, path.child(field.getKey()), errors);
                } else {
                  visit(
                      field.getValue(), s.additionalProperties(), path.key(field.getKey()), errors);
                }
              });
    }
  }

  private static void checkSet(JsonNode list, FieldPath path, List<String> errors) {
    for (int i : secondOccurrences(list)) {
      errors.add(path.index(i).error("Duplicate value: " + duplicateValue(list.get(i))));
    }
  }

  private static void checkMap(
      JsonNode list, List<String> keyFields, FieldPath path, List<String> errors) {
    List<JsonNode> keys = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      if (!item.isObject() && !item.isNull()) {
        errors.add(
            path.index(i)
                .error(
                    "Invalid value: "
                        + GoValues.brief(item)
                        + ": must be an object for an array of list-type map"));
        return;
      }
      ObjectNode key = JsonNodeFactory.instance.objectNode();
      keyFields.stream().filter(item::has).forEach(field -> key.set(field, item.get(field)));
      keys.add(key);
    }
    for (int i : secondOccurrences(keys)) {
      errors.add(path.index(i).error("Duplicate value: " + GoValues.printed(keys.get(i))));
    }
  }

  private static String duplicateValue(JsonNode item) {
    return item.isContainerNode() ? GoValues.printed(item) : GoValues.brief(item);
  }

  /** Indexes where a value appears for the second time; JSON equality, as Go compares them. */
  private static List<Integer> secondOccurrences(Iterable<JsonNode> values) {
    Map<JsonNode, Integer> seen = new HashMap<>();
    List<Integer> duplicates = new ArrayList<>();
    int index = 0;
    for (JsonNode value : values) {
      if (seen.merge(value, 1, Integer::sum) == 2) {
        duplicates.add(index);
      }
      index++;
    }
    return duplicates;
  }
}
