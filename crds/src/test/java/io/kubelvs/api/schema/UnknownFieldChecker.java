package io.kubelvs.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict field validation ({@code kubectl --validate=strict}, the default): every field the schema
 * does not declare is an error. The field is then pruned, as the API server's decoder does, so the
 * later steps see what would have been stored.
 */
final class UnknownFieldChecker {

  /** Fields every resource (and every embedded resource) has whether its schema says so or not. */
  private static final Set<String> RESOURCE_FIELDS = Set.of("apiVersion", "kind", "metadata");

  private UnknownFieldChecker() {}

  static List<String> pruneUnknownFields(ObjectNode resource, OpenApiSchema schema) {
    List<String> errors = new ArrayList<>();
    visit(resource, schema, FieldPath.ROOT, true, errors);
    return errors;
  }

  private static void visit(
      JsonNode value, OpenApiSchema schema, FieldPath path, boolean resource, List<String> errors) {
    if (value.isArray()) {
      schema
          .items()
          .ifPresent(
              items -> {
                for (int i = 0; i < value.size(); i++) {
                  visit(value.get(i), items, path.index(i), items.isEmbeddedResource(), errors);
                }
              });
    } else if (value instanceof ObjectNode object) {
      visitObject(object, schema, path, resource, errors);
    }
  }

  private static void visitObject(
      ObjectNode object,
      OpenApiSchema schema,
      FieldPath path,
      boolean resource,
      List<String> errors) {
    Map<String, OpenApiSchema> properties = schema.properties();
    for (String name : fieldNames(object)) {
      FieldPath fieldPath = path.child(name);
      OpenApiSchema declared = properties.get(name);
      if (resource && RESOURCE_FIELDS.contains(name)) {
        // ObjectMeta is checked against its Go type, not the CRD schema (ObjectMetaChecker).
        continue;
      } else if (declared != null) {
        visit(object.get(name), declared, fieldPath, declared.isEmbeddedResource(), errors);
      } else if (schema.additionalProperties().isPresent()) {
        OpenApiSchema values = schema.additionalProperties().get();
        visit(object.get(name), values, path.key(name), values.isEmbeddedResource(), errors);
      } else if (!schema.allowsUndeclaredFields()) {
        errors.add(fieldPath.error("unknown field \"" + name + "\""));
        object.remove(name);
      }
    }
  }

  /** A copy of the field names, so fields can be removed while iterating. */
  private static List<String> fieldNames(JsonNode object) {
    return object.properties().stream().map(Map.Entry::getKey).toList();
  }
}
