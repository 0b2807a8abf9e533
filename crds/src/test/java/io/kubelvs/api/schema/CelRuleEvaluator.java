package io.kubelvs.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.runtime.CelEvaluationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@code x-kubernetes-validations} rules over a defaulted object, as apiextensions' CEL
 * validator does on create: each rule with {@code self} bound to the value of the node it sits on,
 * only where that value is present and not null; transition rules (those using {@code oldSelf}) are
 * skipped because a create has no old object.
 */
final class CelRuleEvaluator {

  private final OpenApiSchema root;
  private final Map<JsonNode, CelRuleCompiler.NodeRules> rulesBySchemaNode;

  private CelRuleEvaluator(
      OpenApiSchema root, Map<JsonNode, CelRuleCompiler.NodeRules> rulesBySchemaNode) {
    this.root = root;
    this.rulesBySchemaNode = rulesBySchemaNode;
  }

  /**
   * @throws InvalidCrdException if a rule would be refused by the API server
   */
  static CelRuleEvaluator compile(OpenApiSchema root, String crdVersion) {
    return new CelRuleEvaluator(root, CelRuleCompiler.compile(root, crdVersion));
  }

  List<String> evaluate(JsonNode resource) {
    List<String> errors = new ArrayList<>();
    visit(resource, root, FieldPath.ROOT, errors);
    return errors;
  }

  private void visit(JsonNode value, OpenApiSchema schema, FieldPath path, List<String> errors) {
    if (value == null || value.isNull()) {
      return;
    }
    CelRuleCompiler.NodeRules nodeRules = rulesBySchemaNode.get(schema.node());
    if (nodeRules != null) {
      Object self = CelValues.of(value, nodeRules.celSchema());
      nodeRules.rules().forEach(rule -> evaluate(rule, self, path, errors));
    }
    if (value.isArray() && schema.items().isPresent()) {
      for (int i = 0; i < value.size(); i++) {
        visit(value.get(i), schema.items().get(), path.index(i), errors);
      }
    } else if (value.isObject()) {
      Optional<OpenApiSchema> mapValues = schema.additionalProperties();
      value
          .properties()
          .forEach(
              field -> {
                Optional<OpenApiSchema> property = schema.property(field.getKey());
                if (property.isPresent()) {
                  visit(field.getValue(), property.get(), path.child(field.getKey()), errors);
                } else if (mapValues.isPresent()) {
                  visit(field.getValue(), mapValues.get(), path.key(field.getKey()), errors);
                }
              });
    }
  }

  private static void evaluate(
      CompiledRule compiled, Object self, FieldPath path, List<String> errors) {
    OpenApiSchema.ValidationRule rule = compiled.rule();
    if (compiled.usesOldSelf() && !rule.optionalOldSelf()) {
      return;
    }
    Map<String, Object> activation =
        rule.optionalOldSelf()
            ? Map.of("self", self, "oldSelf", Optional.empty())
            : Map.of("self", self);
    try {
      if (!Boolean.TRUE.equals(compiled.program().eval(activation))) {
        FieldPath failed = compiled.fieldPath().map(path::append).orElse(path);
        errors.add(failed.error(detail(compiled, activation)));
      }
    } catch (CelEvaluationException e) {
      errors.add(path.error(e.getMessage() + " evaluating rule: " + rule.rule()));
    }
  }

  /**
   * The messageExpression's result if it evaluates to a one-line string; otherwise the message, or
   * {@code failed rule: <rule>} when there is none.
   */
  private static String detail(CompiledRule compiled, Map<String, Object> activation) {
    OpenApiSchema.ValidationRule rule = compiled.rule();
    if (compiled.messageExpression().isPresent()) {
      try {
        Object message = compiled.messageExpression().get().eval(activation);
        if (message instanceof String text && !text.isBlank() && !text.contains("\n")) {
          return text.trim();
        }
      } catch (CelEvaluationException e) {
        // The API server only logs a failing messageExpression and falls back to the message.
      }
    }
    return rule.message().isEmpty() ? "failed rule: " + rule.rule() : rule.message();
  }
}
