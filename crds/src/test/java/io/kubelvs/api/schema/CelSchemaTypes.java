package io.kubelvs.api.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CEL types the API server gives schema nodes (apiserver/pkg/cel/common/schemas.go), so rules
 * are type-checked as strictly as there: {@code self.nosuchfield} does not compile. Objects with
 * properties become struct types, maps and lists keep their value types, strings with the {@code
 * date}, {@code date-time}, {@code duration} and {@code byte} formats become timestamps, durations
 * and bytes, int-or-string is dyn.
 */
final class CelSchemaTypes implements CelTypeProvider {

  /** Identifiers CEL reserves; a property so named is reachable as {@code __name__}. */
  private static final Set<String> CEL_RESERVED =
      Set.of(
          "true",
          "false",
          "null",
          "in",
          "as",
          "break",
          "const",
          "continue",
          "else",
          "for",
          "function",
          "if",
          "import",
          "let",
          "loop",
          "package",
          "namespace",
          "return",
          "var",
          "void",
          "while");

  private static final Pattern ESCAPED_CHARACTERS = Pattern.compile("__|[-./]");
  private static final Pattern ESCAPABLE_NAME = Pattern.compile("[a-zA-Z_.\\-/][a-zA-Z0-9_.\\-/]*");

  private final Map<String, CelType> structTypes = new LinkedHashMap<>();

  /**
   * The type of values of {@code schema}, empty where Kubernetes gives none (the field is then
   * invisible to rules). {@code typeName} names the struct type of an object node and prefixes
   * those below it.
   */
  Optional<CelType> typeOf(OpenApiSchema schema, String typeName) {
    if (schema.isIntOrString()) {
      return Optional.of(SimpleType.DYN);
    }
    return switch (schema.type()) {
      case "array" ->
          schema.items().flatMap(items -> typeOf(items, typeName + "[]")).map(ListType::create);
      case "object" -> objectType(schema, typeName);
      case "string" -> Optional.of(stringType(schema.format()));
      case "boolean" -> Optional.of(SimpleType.BOOL);
      case "number" -> Optional.of(SimpleType.DOUBLE);
      case "integer" -> Optional.of(SimpleType.INT);
      default -> Optional.empty();
    };
  }

  private Optional<CelType> objectType(OpenApiSchema schema, String typeName) {
    Optional<OpenApiSchema> values = schema.additionalProperties();
    if (values.isPresent()) {
      return typeOf(values.get(), typeName + "{}").map(v -> MapType.create(SimpleType.STRING, v));
    }
    Map<String, CelType> fields = new LinkedHashMap<>();
    schema
        .properties()
        .forEach(
            (name, property) ->
                escape(name)
                    .ifPresent(
                        celName ->
                            typeOf(property, typeName + "." + name)
                                .ifPresent(type -> fields.put(celName, type))));
    StructType struct =
        StructType.create(
            typeName,
            ImmutableSet.copyOf(fields.keySet()),
            f -> Optional.ofNullable(fields.get(f)));
    structTypes.put(typeName, struct);
    return Optional.of(struct);
  }

  private static CelType stringType(String format) {
    return switch (format) {
      case "byte" -> SimpleType.BYTES;
      case "duration" -> SimpleType.DURATION;
      case "date", "date-time" -> SimpleType.TIMESTAMP;
      default -> SimpleType.STRING;
    };
  }

  @Override
  public ImmutableCollection<CelType> types() {
    return ImmutableList.copyOf(structTypes.values());
  }

  @Override
  public Optional<CelType> findType(String typeName) {
    return Optional.ofNullable(structTypes.get(typeName));
  }

  /**
   * The schema rules see at a resource root: apiVersion, kind, metadata.name and
   * metadata.generateName are always there, whatever the CRD declares
   * (model.WithTypeAndObjectMeta).
   */
  static OpenApiSchema withTypeAndObjectMeta(OpenApiSchema schema) {
    ObjectNode node = ((ObjectNode) schema.node()).deepCopy();
    ObjectNode properties = node.withObjectProperty("properties");
    properties.putObject("apiVersion").put("type", "string");
    properties.putObject("kind").put("type", "string");
    ObjectNode metadata = properties.putObject("metadata").put("type", "object");
    ObjectNode metadataProperties = metadata.putObject("properties");
    metadataProperties.putObject("name").put("type", "string");
    metadataProperties.putObject("generateName").put("type", "string");
    return new OpenApiSchema(node);
  }

  /**
   * The identifier a property is reached by in CEL (apiextensions model.Escape): {@code __} becomes
   * {@code __underscores__}, {@code .} {@code __dot__}, {@code -} {@code __dash__}, {@code /}
   * {@code __slash__}. Empty if the name cannot be escaped; rules then cannot see the property.
   */
  static Optional<String> escape(String name) {
    if (CEL_RESERVED.contains(name)) {
      return Optional.of("__" + name + "__");
    }
    if (!ESCAPABLE_NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    Matcher matcher = ESCAPED_CHARACTERS.matcher(name);
    StringBuilder escaped = new StringBuilder();
    while (matcher.find()) {
      String replacement =
          switch (matcher.group()) {
            case "__" -> "__underscores__";
            case "." -> "__dot__";
            case "-" -> "__dash__";
            default -> "__slash__";
          };
      matcher.appendReplacement(escaped, replacement);
    }
    matcher.appendTail(escaped);
    return Optional.of(escaped.toString());
  }

  /** The escaped property names of {@code schema}, keyed by the JSON field name. */
  static Map<String, String> celFieldNames(OpenApiSchema schema) {
    Map<String, String> names = new LinkedHashMap<>();
    schema.properties().keySet().forEach(name -> escape(name).ifPresent(e -> names.put(name, e)));
    return names;
  }
}
