package io.kubelvs.api.schema;

import static io.kubelvs.api.schema.Widgets.VALIDATOR;
import static io.kubelvs.api.schema.Widgets.validateSpec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class UnknownFieldsTest {

  @Test
  void rejectsUnknownFieldNamingItsPath() {
    ValidationResult result =
        validateSpec(
            """
            size: Small
            color: blue
            servers: [{address: 198.18.1.1}]
            healthCheck: {type: TCP, retries: 3}
            """);

    assertThat(result.errors())
        .containsExactly("spec.healthCheck.retries: unknown field \"retries\"");
  }

  @Test
  void rejectsUnknownFieldInListItemNamingItsIndex() {
    ValidationResult result =
        validateSpec(
            """
            size: Small
            color: blue
            servers:
              - {address: 198.18.1.1}
              - {address: 198.18.1.2, backup: true}
            """);

    assertThat(result.errors()).containsExactly("spec.servers[1].backup: unknown field \"backup\"");
  }

  @Test
  void rejectsUnknownTopLevelField() {
    ObjectNode widget = Widgets.minimal();
    widget.put("specification", "typo");

    assertThat(VALIDATOR.validate(widget).errors())
        .containsExactly("specification: unknown field \"specification\"");
  }

  @Test
  void acceptsAnyFieldWherePreserveUnknownFieldsIsSet() {
    ValidationResult result =
        validateSpec(
            """
            size: Small
            color: blue
            servers: [{address: 198.18.1.1}]
            extra: {whatever: {nested: [1, 2]}}
            """);

    assertThat(result.errors()).isEmpty();
  }

  @Test
  void acceptsAnyKeyOfMapWithAdditionalProperties() {
    ValidationResult result =
        validateSpec(
            """
            size: Small
            color: blue
            servers: [{address: 198.18.1.1}]
            labels: {team: lb, tier: edge}
            """);

    assertThat(result.errors()).isEmpty();
  }

  @Test
  void prunesUnknownFieldsBeforeLaterSteps() {
    ObjectNode widget = Widgets.minimal();
    ((ObjectNode) widget.get("spec")).put("colour", "red");

    assertThat(VALIDATOR.applyDefaults(widget).path("spec").has("colour")).isFalse();
  }
}
