package io.kubelvs.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * The OpenAPI part of the API server's validation, run by the networknt JSON Schema validator on
 * the schema {@link OpenApiToJsonSchema} derives, with errors reworded the way the API server words
 * them ({@code spec.servers[0].port: Invalid value: 70000: should be less than or equal to 65535}).
 */
final class OpenApiSchemaValidator {

  /**
   * Failures after which the API server skips CEL rules (apiextensions' hasBlockingErr): the object
   * is not of the shape the rules were type-checked against.
   */
  private static final Set<String> RULE_BLOCKING_KEYWORDS =
      Set.of("type", "required", "enum", "maxLength", "maxItems", "maxProperties");

  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(
          Dialect.builder("https://kubelvs.io/schema/kubernetes-openapi-v3", Dialects.getDraft4())
              .formats(KubernetesFormats.CUSTOM)
              .build(),
          registry ->
              registry.schemaRegistryConfig(
                  SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

  /** What the schema said about one object. */
  record Findings(List<String> errors, boolean blocksRules) {}

  private final OpenApiSchema openApiSchema;
  private final ObjectNode jsonSchema;
  private final Schema schema;

  OpenApiSchemaValidator(OpenApiSchema openApiSchema) {
    this.openApiSchema = openApiSchema;
    this.jsonSchema = OpenApiToJsonSchema.convert(openApiSchema);
    this.schema = REGISTRY.getSchema(jsonSchema);
  }

  Findings validate(JsonNode resource) {
    List<String> errors = new ArrayList<>();
    boolean blocksRules = false;
    for (Error error : schema.validate(resource)) {
      errors.add(describe(error));
      blocksRules |= RULE_BLOCKING_KEYWORDS.contains(error.getKeyword());
    }
    return new Findings(errors, blocksRules);
  }

  private String describe(Error error) {
    FieldPath path = fieldPath(error.getInstanceLocation());
    JsonNode value = error.getInstanceNode();
    JsonNode limit = error.getSchemaNode();
    String invalid = "Invalid value: " + GoValues.brief(value) + ": ";
    return switch (error.getKeyword()) {
      case "required" -> path.child(error.getProperty()).error("Required value");
      case "enum" ->
          path.error(
              "Unsupported value: "
                  + GoValues.brief(value)
                  + ": supported values: "
                  + StreamSupport.stream(limit.spliterator(), false)
                      .map(GoValues::brief)
                      .collect(Collectors.joining(", ")));
      case "type" ->
          path.error(invalid + "must be of type " + String.join(" or ", typeNames(limit)));
      case "maxLength" -> path.error("Too long: may not be more than " + limit + " characters");
      case "maxItems" ->
          path.error("Too many: " + value.size() + ": must have at most " + limit + " items");
      case "maxProperties" ->
          path.error("Too many: " + value.size() + ": must have at most " + limit + " properties");
      case "maximum" ->
          path.error(
              invalid
                  + (isExclusive(error, "exclusiveMaximum")
                      ? "should be less than "
                      : "should be less than or equal to ")
                  + GoValues.brief(limit));
      case "minimum" ->
          path.error(
              invalid
                  + (isExclusive(error, "exclusiveMinimum")
                      ? "should be greater than "
                      : "should be greater than or equal to ")
                  + GoValues.brief(limit));
      case "minLength" -> path.error(invalid + "should be at least " + limit + " chars long");
      case "minItems" -> path.error(invalid + "should have at least " + limit + " items");
      case "minProperties" -> path.error(invalid + "should have at least " + limit + " properties");
      case "pattern" -> path.error(invalid + "should match '" + limit.asText() + "'");
      case "format" -> path.error(invalid + "must be of type " + limit.asText());
      case "multipleOf" -> path.error(invalid + "should be a multiple of " + GoValues.brief(limit));
      case "uniqueItems" -> path.error(invalid + "shouldn't contain duplicates");
      default -> path.error(invalid + error.getMessage());
    };
  }

  private static List<String> typeNames(JsonNode type) {
    List<String> names = new ArrayList<>();
    if (type.isArray()) {
      type.forEach(t -> names.add(t.asText()));
    } else {
      names.add(type.asText());
    }
    return names;
  }

  /** In draft 4 an exclusive bound is the plain bound plus a boolean flag beside it. */
  private boolean isExclusive(Error error, String flag) {
    NodePath keyword = error.getSchemaLocation().getFragment();
    JsonNode schemaNode = jsonSchema;
    for (int i = 0; i < keyword.getNameCount() - 1; i++) {
      schemaNode = schemaNode.path(keyword.getName(i));
    }
    return schemaNode.path(flag).asBoolean(false);
  }

  /**
   * Renders the library's instance location as a Kubernetes field path; a name is a map key ({@code
   * labels[app]}) where the schema says the object is a map.
   */
  private FieldPath fieldPath(NodePath location) {
    FieldPath path = FieldPath.ROOT;
    Optional<OpenApiSchema> schemaAtPath = Optional.of(openApiSchema);
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      if (element instanceof Integer index) {
        path = path.index(index);
        schemaAtPath = schemaAtPath.flatMap(OpenApiSchema::items);
      } else {
        String name = element.toString();
        Optional<OpenApiSchema> property = schemaAtPath.flatMap(s -> s.property(name));
        Optional<OpenApiSchema> mapValues =
            schemaAtPath.flatMap(OpenApiSchema::additionalProperties);
        path = property.isEmpty() && mapValues.isPresent() ? path.key(name) : path.child(name);
        schemaAtPath = property.or(() -> mapValues);
      }
    }
    return path;
  }
}
