package io.kubelvs.api.schema;

import static io.kubelvs.api.schema.Widgets.VALIDATOR;
import static io.kubelvs.api.schema.Widgets.minimal;
import static io.kubelvs.api.schema.Widgets.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class CrdValidatorTest {

  @Test
  void acceptsMinimalWidget() {
    assertThat(VALIDATOR.validate(minimal()).errors()).isEmpty();
  }

  @Test
  void acceptsWidgetUsingEveryField() {
    ValidationResult result =
        Widgets.validateSpec(
            """
            size: Large
            replicas: 3
            name: front-door
            interval: 1.5s
            paint: {finish: gloss}
            description: null
            tags: [a, b]
            servers:
              - {address: 198.18.1.1, port: 80, weight: 10}
              - {address: 198.18.1.1, port: 443}
            healthCheck: {type: HTTP, path: /healthz, intervalSeconds: 5, timeoutSeconds: 2}
            network: {subnet: 198.18.0.0/15, startedAt: "2024-05-01T10:00:00Z", interval: 1m30s}
            labels: {team: lb}
            extra: {anything: [1, 2, {goes: here}]}
            weight: 50%
            """);

    assertThat(result.errors()).isEmpty();
    assertThat(result.isValid()).isTrue();
  }

  @Test
  void rejectsVersionTheCrdDoesNotServe() {
    ObjectNode widget = minimal().put("apiVersion", "example.test/v1alpha1");

    assertThat(VALIDATOR.validate(widget).errors())
        .containsExactly(
            "apiVersion: Unsupported value: \"example.test/v1alpha1\": supported values:"
                + " \"example.test/v1\"");
  }

  @Test
  void rejectsKindTheGroupDoesNotDefine() {
    ObjectNode widget = minimal().put("kind", "Gizmo");

    assertThat(VALIDATOR.validate(widget).errors())
        .containsExactly("kind: Unsupported value: \"Gizmo\": supported values: \"Widget\"");
  }

  @Test
  void rejectsGroupWithoutCrd() {
    ObjectNode widget = minimal().put("apiVersion", "other.test/v1");

    assertThat(VALIDATOR.validate(widget).errors())
        .containsExactly(
            "apiVersion: Invalid value: \"other.test/v1\": no CustomResourceDefinition loaded for"
                + " group \"other.test\"");
  }

  @Test
  void reportsScopeOfTheServingCrd() {
    assertThat(VALIDATOR.scopeOf(minimal())).contains(CrdValidator.Scope.NAMESPACED);
  }

  @Test
  void requiresMetadataName() {
    ObjectNode widget = minimal();
    widget.set("metadata", yaml("namespace: lb"));

    assertThat(VALIDATOR.validate(widget).errors())
        .containsExactly("metadata.name: Required value: name or generateName is required");
  }

  @Test
  void acceptsGenerateNameInsteadOfName() {
    ObjectNode widget = minimal();
    widget.set("metadata", yaml("generateName: front-"));

    assertThat(VALIDATOR.validate(widget).errors()).isEmpty();
  }

  @Test
  void rejectsNameThatIsNotDnsSubdomain() {
    ObjectNode widget = minimal();
    widget.set("metadata", yaml("name: Front_Door"));

    assertThat(VALIDATOR.validate(widget).errors())
        .singleElement()
        .asString()
        .startsWith("metadata.name: Invalid value: \"Front_Door\": a lowercase RFC 1123 subdomain");
  }

  @Test
  void rejectsFieldObjectMetaDoesNotHave() {
    ObjectNode widget = minimal();
    widget.set("metadata", yaml("{name: front, label: {app: lb}}"));

    assertThat(VALIDATOR.validate(widget).errors())
        .containsExactly("metadata.label: unknown field \"label\"");
  }

  @Test
  void dropsStatusBeforeValidationWhenStatusIsASubresource() {
    ObjectNode widget = minimal();
    widget.set("status", yaml("ready: not-a-boolean"));

    assertThat(VALIDATOR.validate(widget).errors()).isEmpty();
  }

  @Test
  void stillRejectsUnknownFieldsInStatus() {
    ObjectNode widget = minimal();
    widget.set("status", yaml("phase: Running"));

    assertThat(VALIDATOR.validate(widget).errors())
        .containsExactly("status.phase: unknown field \"phase\"");
  }

  @Test
  void collectsErrorsOfEveryStepInSortedOrder() {
    ValidationResult result =
        Widgets.validateSpec(
            """
            size: Small
            replicas: 11
            color: blue
            colour: red
            tags: [a, a]
            servers:
              - address: 198.18.1.1
                port: 0
            """);

    assertThat(result.errors())
        .containsExactly(
            "spec.colour: unknown field \"colour\"",
            "spec.replicas: Invalid value: 11: should be less than or equal to 10",
            "spec.servers[0].port: Invalid value: 0: should be greater than or equal to 1",
            "spec.tags[1]: Duplicate value: \"a\"");
  }
}
