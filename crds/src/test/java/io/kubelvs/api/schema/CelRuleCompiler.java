package io.kubelvs.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OptionalType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compiles every {@code x-kubernetes-validations} rule of a schema the way the API server does when
 * the CRD is created, so a rule it would refuse (a syntax error, an undeclared field, a non-boolean
 * result, a bad {@code fieldPath}) is an {@link InvalidCrdException} here.
 */
final class CelRuleCompiler {

  /** The rules of one schema node, with the schema their {@code self} is typed by. */
  record NodeRules(OpenApiSchema celSchema, List<CompiledRule> rules) {}

  private final String crdVersion;
  private final CelSchemaTypes types = new CelSchemaTypes();
  private final Cel base = KubernetesCel.builder(types).build();
  private final Map<JsonNode, NodeRules> rulesBySchemaNode = new IdentityHashMap<>();

  private CelRuleCompiler(String crdVersion) {
    this.crdVersion = crdVersion;
  }

  /**
   * @param crdVersion names the CRD and version in error messages
   * @return the rules of each schema node that has any, keyed by the node's identity
   */
  static Map<JsonNode, NodeRules> compile(OpenApiSchema root, String crdVersion) {
    CelRuleCompiler compiler = new CelRuleCompiler(crdVersion);
    compiler.visit(root, "openAPIV3Schema", "#", true);
    return compiler.rulesBySchemaNode;
  }

  private void visit(OpenApiSchema schema, String schemaPath, String typeName, boolean resource) {
    List<OpenApiSchema.ValidationRule> declared = schema.validations();
    if (!declared.isEmpty()) {
      OpenApiSchema celSchema = resource ? CelSchemaTypes.withTypeAndObjectMeta(schema) : schema;
      CelType self =
          types
              .typeOf(celSchema, typeName)
              .orElseThrow(
                  () ->
                      invalid(
                          schemaPath + ".x-kubernetes-validations",
                          "rules need a schema with a type CEL can represent"));
      List<CompiledRule> compiled = new ArrayList<>();
      for (int i = 0; i < declared.size(); i++) {
        String rulePath = schemaPath + ".x-kubernetes-validations[" + i + "]";
        compiled.add(compileRule(declared.get(i), self, celSchema, rulePath));
      }
      rulesBySchemaNode.put(schema.node(), new NodeRules(celSchema, compiled));
    }
    schema
        .properties()
        .forEach(
            (name, property) ->
                visit(
                    property,
                    schemaPath + ".properties[" + name + "]",
                    typeName + "." + name,
                    property.isEmbeddedResource()));
    schema
        .items()
        .ifPresent(
            items ->
                visit(items, schemaPath + ".items", typeName + "[]", items.isEmbeddedResource()));
    schema
        .additionalProperties()
        .ifPresent(
            values ->
                visit(
                    values,
                    schemaPath + ".additionalProperties",
                    typeName + "{}",
                    values.isEmbeddedResource()));
  }

  private CompiledRule compileRule(
      OpenApiSchema.ValidationRule rule, CelType self, OpenApiSchema celSchema, String rulePath) {
    if (rule.rule().isEmpty()) {
      throw invalid(rulePath + ".rule", "Required value");
    }
    CelType oldSelf = rule.optionalOldSelf() ? OptionalType.create(self) : self;
    Cel cel = base.toCelBuilder().addVar("self", self).addVar("oldSelf", oldSelf).build();
    CelAbstractSyntaxTree ast = check(cel, rule.rule(), SimpleType.BOOL, rulePath + ".rule");
    Optional<CelRuntime.Program> messageExpression = Optional.empty();
    if (!rule.messageExpression().isEmpty()) {
      String path = rulePath + ".messageExpression";
      messageExpression =
          Optional.of(
              program(cel, check(cel, rule.messageExpression(), SimpleType.STRING, path), path));
    }
    Optional<FieldPath> fieldPath = Optional.empty();
    if (!rule.fieldPath().isEmpty()) {
      try {
        fieldPath = Optional.of(RuleFieldPaths.resolve(rule.fieldPath(), celSchema));
      } catch (IllegalArgumentException e) {
        throw invalid(
            rulePath + ".fieldPath",
            "Invalid value: \"" + rule.fieldPath() + "\": " + e.getMessage());
      }
    }
    boolean usesOldSelf =
        ast.getReferenceMap().values().stream().anyMatch(r -> r.name().equals("oldSelf"));
    return new CompiledRule(
        rule, program(cel, ast, rulePath + ".rule"), messageExpression, fieldPath, usesOldSelf);
  }

  /** Parses, type-checks and runs the API server's AST validators on one expression. */
  private CelAbstractSyntaxTree check(Cel cel, String expression, CelType resultType, String path) {
    CelValidationResult compiled = cel.compile(expression);
    if (compiled.hasError()) {
      throw invalid(
          path, invalidValue(expression) + "compilation failed: " + compiled.getErrorString());
    }
    try {
      CelAbstractSyntaxTree ast = compiled.getAst();
      CelValidationResult validated = KubernetesCel.astValidator(cel, cel).validate(ast);
      if (validated.hasError()) {
        throw invalid(
            path, invalidValue(expression) + "compilation failed: " + validated.getErrorString());
      }
      if (!ast.getResultType().equals(resultType)) {
        throw invalid(
            path,
            invalidValue(expression)
                + "must evaluate to "
                + resultType.name()
                + " but is "
                + ast.getResultType().name());
      }
      return ast;
    } catch (CelValidationException e) {
      throw invalid(path, invalidValue(expression) + "compilation failed: " + e.getMessage());
    }
  }

  private CelRuntime.Program program(Cel cel, CelAbstractSyntaxTree ast, String path) {
    try {
      return cel.createProgram(ast);
    } catch (CelEvaluationException e) {
      throw invalid(path, "cannot plan the checked expression: " + e.getMessage());
    }
  }

  private static String invalidValue(String expression) {
    return "Invalid value: \"" + expression + "\": ";
  }

  private InvalidCrdException invalid(String path, String detail) {
    return new InvalidCrdException(crdVersion + ": " + path + ": " + detail);
  }
}
