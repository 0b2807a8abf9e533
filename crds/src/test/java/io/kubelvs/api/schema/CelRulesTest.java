package io.kubelvs.api.schema;

import static io.kubelvs.api.schema.Widgets.gadget;
import static io.kubelvs.api.schema.Widgets.gadgetCrd;
import static io.kubelvs.api.schema.Widgets.loadCrd;
import static io.kubelvs.api.schema.Widgets.validateSpec;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CelRulesTest {

  @TempDir Path tempDir;

  @Test
  void celRuleFailureReportsMessageAtTheRulesNode() {
    ValidationResult result =
        validateSpec(
            """
            size: Small
            servers: [{address: 198.18.1.1}]
            """);

    assertThat(result.errors()).containsExactly("spec: exactly one of color or paint must be set");
  }

  @Test
  void listLiteralWithFilterRejectsBothAlternatives() {
    ValidationResult result =
        validateSpec(
            """
            size: Small
            color: blue
            paint: {finish: gloss}
            servers: [{address: 198.18.1.1}]
            """);

    assertThat(result.errors()).containsExactly("spec: exactly one of color or paint must be set");
  }

  @Test
  void celRuleFailureNamesFieldPath() {
    ValidationResult result =
        validateSpec(
            """
            size: Small
            color: blue
            servers: [{address: 198.18.1.1}]
            healthCheck: {type: HTTP}
            """);

    assertThat(result.errors())
        .containsExactly("spec.healthCheck.path: path is required for HTTP health checks");
  }

  @Test
  void hasRulePassesWhenTheFieldIsPresent() {
    ValidationResult result =
        validateSpec(
            """
            size: Small
            color: blue
            servers: [{address: 198.18.1.1}]
            healthCheck: {type: HTTP, path: /healthz}
            """);

    assertThat(result.errors()).isEmpty();
  }

  @Test
  void messageExpressionFormsTheMessage() {
    ValidationResult result =
        validateSpec(
            """
            size: Small
            color: blue
            servers: [{address: 198.18.1.1}]
            healthCheck: {intervalSeconds: 5, timeoutSeconds: 5}
            """);

    assertThat(result.errors())
        .containsExactly("spec.healthCheck.timeoutSeconds: timeoutSeconds must be less than 5");
  }

  @Test
  void durationRuleComparesParsedDurations() {
    assertThat(validateSpec(specWithInterval("40950ms")).errors()).isEmpty();
    assertThat(validateSpec(specWithInterval("40.951s")).errors())
        .containsExactly("spec: interval must be at most 40950ms");
    assertThat(validateSpec(specWithInterval("1m")).errors())
        .containsExactly("spec: interval must be at most 40950ms");
  }

  @Test
  void durationFormatFieldIsADurationForRules() {
    ValidationResult result =
        validateSpec(
            """
            size: Small
            color: blue
            servers: [{address: 198.18.1.1}]
            network: {interval: 500ms}
            """);

    assertThat(result.errors())
        .containsExactly("spec.network: network.interval must be at least 1s");
  }

  @Test
  void intOrStringRuleSeesAnIntOrAString() {
    assertThat(validateSpec(specWithWeight("101")).errors())
        .containsExactly("spec.weight: weight must be at most 100 or a percentage");
    assertThat(validateSpec(specWithWeight("half")).errors())
        .containsExactly("spec.weight: weight must be at most 100 or a percentage");
  }

  @Test
  void rulesOfAbsentNodesAreNotEvaluated() {
    // healthCheck has rules; without a healthCheck nothing defaults it into existence.
    assertThat(validateSpec(specWithInterval("1s")).errors()).isEmpty();
  }

  @Test
  void ruleWithoutMessageReportsTheRule() {
    CrdValidator gadgets =
        loadCrd(
            tempDir,
            gadgetCrd(
                """
                type: object
                properties: {min: {type: integer}, max: {type: integer}}
                x-kubernetes-validations:
                  - rule: self.min <= self.max
                """));

    assertThat(gadgets.validate(gadget("{min: 3, max: 2}")).errors())
        .containsExactly("spec: failed rule: self.min <= self.max");
  }

  @Test
  void evaluationErrorNamesPathAndRule() {
    CrdValidator gadgets =
        loadCrd(
            tempDir,
            gadgetCrd(
                """
                type: object
                properties: {min: {type: integer}, max: {type: integer}}
                x-kubernetes-validations:
                  - rule: self.min <= self.max
                    message: min must not exceed max
                """));

    assertThat(gadgets.validate(gadget("{min: 3}")).errors())
        .singleElement()
        .asString()
        .startsWith("spec: ")
        .contains("'max'")
        .endsWith("evaluating rule: self.min <= self.max");
  }

  @Test
  void transitionRulesAreSkippedOnCreate() {
    CrdValidator gadgets =
        loadCrd(
            tempDir,
            gadgetCrd(
                """
                type: object
                properties: {size: {type: string}}
                x-kubernetes-validations:
                  - rule: self.size == oldSelf.size
                    message: size is immutable
                """));

    assertThat(gadgets.validate(gadget("{size: big}")).errors()).isEmpty();
  }

  @Test
  void optionalOldSelfRulesRunOnCreateWithoutOldSelf() {
    CrdValidator gadgets =
        loadCrd(
            tempDir,
            gadgetCrd(
                """
                type: object
                properties: {size: {type: string}}
                x-kubernetes-validations:
                  - rule: oldSelf.hasValue() || self.size == 'small'
                    optionalOldSelf: true
                    message: gadgets start small
                """));

    assertThat(gadgets.validate(gadget("{size: small}")).errors()).isEmpty();
    assertThat(gadgets.validate(gadget("{size: big}")).errors())
        .containsExactly("spec: gadgets start small");
  }

  @Test
  void rootRulesSeeNameAndKind() {
    CrdValidator gadgets =
        loadCrd(
            tempDir,
            """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: gadgets.example.test}
            spec:
              group: example.test
              names: {kind: Gadget, plural: gadgets}
              scope: Cluster
              versions:
                - name: v1
                  served: true
                  storage: true
                  schema:
                    openAPIV3Schema:
                      type: object
                      properties: {spec: {type: object}}
                      x-kubernetes-validations:
                        - rule: self.metadata.name.startsWith('g') && self.kind == 'Gadget'
                          message: gadget names start with g
            """);

    assertThat(gadgets.validate(gadget("{}")).errors()).isEmpty();
    assertThat(
            gadgets
                .validate(
                    Widgets.yaml(
                        """
                        apiVersion: example.test/v1
                        kind: Gadget
                        metadata: {name: x}
                        """))
                .errors())
        .containsExactly("<root>: gadget names start with g");
  }

  private static String specWithInterval(String interval) {
    return """
        size: Small
        color: blue
        servers: [{address: 198.18.1.1}]
        interval: %s
        """
        .formatted(interval);
  }

  private static String specWithWeight(String weight) {
    return """
        size: Small
        color: blue
        servers: [{address: 198.18.1.1}]
        weight: %s
        """
        .formatted(weight);
  }
}
