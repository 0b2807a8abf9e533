package io.kubelvs.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The API server's create path for one served version of a custom resource, in its order: strict
 * decoding (unknown fields), ObjectMeta checks, defaulting, dropping {@code status} when it has its
 * own subresource, then OpenAPI validation, list uniqueness and CEL rules.
 */
final class ResourceValidator {

  private static final String RULES_NOT_CHECKED =
      "some validation rules were not checked because the object was invalid; correct the"
          + " existing errors to complete validation";

  private final CustomResourceVersion version;
  private final OpenApiSchemaValidator schemaValidator;
  private final CelRuleEvaluator rules;

  /**
   * @throws InvalidCrdException if the API server would refuse the CRD
   */
  ResourceValidator(CustomResourceVersion version) {
    this.version = version;
    this.schemaValidator = new OpenApiSchemaValidator(version.schema());
    this.rules = CelRuleEvaluator.compile(version.schema(), version.describe());
  }

  List<String> validate(JsonNode manifest) {
    ObjectNode resource = manifest.deepCopy();
    List<String> errors = new ArrayList<>();
    errors.addAll(UnknownFieldChecker.pruneUnknownFields(resource, version.schema()));
    errors.addAll(ObjectMetaChecker.check(resource));
    StructuralDefaulter.applyDefaults(resource, version.schema());
    if (version.statusSubresource()) {
      resource.remove("status");
    }
    OpenApiSchemaValidator.Findings findings = schemaValidator.validate(resource);
    errors.addAll(findings.errors());
    errors.addAll(ListTopologyChecker.check(resource, version.schema()));
    if (findings.blocksRules()) {
      errors.add(FieldPath.ROOT.error(RULES_NOT_CHECKED));
    } else {
      errors.addAll(rules.evaluate(resource));
    }
    return errors;
  }

  /** The object as the API server would go on to validate it: unknown fields pruned, defaulted. */
  ObjectNode defaulted(JsonNode manifest) {
    ObjectNode resource = manifest.deepCopy();
    UnknownFieldChecker.pruneUnknownFields(resource, version.schema());
    StructuralDefaulter.applyDefaults(resource, version.schema());
    return resource;
  }
}
