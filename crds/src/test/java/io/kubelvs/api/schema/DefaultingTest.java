package io.kubelvs.api.schema;

import static io.kubelvs.api.schema.Widgets.VALIDATOR;
import static io.kubelvs.api.schema.Widgets.withSpec;
import static io.kubelvs.api.schema.Widgets.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class DefaultingTest {

  @Test
  void appliesDefaultsToAbsentFields() {
    JsonNode spec = VALIDATOR.applyDefaults(Widgets.minimal()).get("spec");

    assertThat(spec.get("replicas").asInt()).isEqualTo(1);
    assertThat(spec.get("interval").asText()).isEqualTo("1s");
  }

  @Test
  void keepsGivenValuesOverDefaults() {
    JsonNode spec =
        VALIDATOR
            .applyDefaults(
                withSpec(
                    """
                    size: Small
                    color: blue
                    replicas: 4
                    servers: [{address: 198.18.1.1}]
                    """))
            .get("spec");

    assertThat(spec.get("replicas").asInt()).isEqualTo(4);
  }

  @Test
  void appliesDefaultsInsideAnObjectOnlyWhereTheObjectExists() {
    JsonNode spec = VALIDATOR.applyDefaults(Widgets.minimal()).get("spec");

    assertThat(spec.has("healthCheck")).isFalse();
    assertThat(spec.has("paint")).isFalse();
  }

  @Test
  void appliesDefaultsInsideAGivenObject() {
    JsonNode spec =
        VALIDATOR
            .applyDefaults(
                withSpec(
                    """
                    size: Small
                    paint: {}
                    servers: [{address: 198.18.1.1}]
                    healthCheck: {}
                    """))
            .get("spec");

    assertThat(spec.get("paint")).isEqualTo(yaml("finish: matte"));
    assertThat(spec.get("healthCheck")).isEqualTo(yaml("{type: TCP, intervalSeconds: 10}"));
  }

  @Test
  void appliesDefaultsToEveryListItem() {
    JsonNode servers =
        VALIDATOR
            .applyDefaults(
                withSpec(
                    """
                    size: Small
                    color: blue
                    servers: [{address: 198.18.1.1}, {address: 198.18.1.2, port: 443}]
                    """))
            .at("/spec/servers");

    assertThat(servers.get(0)).isEqualTo(yaml("{address: 198.18.1.1, port: 80, weight: 1}"));
    assertThat(servers.get(1)).isEqualTo(yaml("{address: 198.18.1.2, port: 443, weight: 1}"));
  }

  @Test
  void replacesNullOfNonNullableFieldWithItsDefault() {
    JsonNode spec =
        VALIDATOR
            .applyDefaults(
                withSpec(
                    """
                    size: Small
                    color: blue
                    replicas: null
                    servers: [{address: 198.18.1.1}]
                    """))
            .get("spec");

    assertThat(spec.get("replicas").asInt()).isEqualTo(1);
  }

  @Test
  void dropsNullOfNonNullableFieldWithoutDefault() {
    ValidationResult result =
        Widgets.validateSpec(
            """
            size: Small
            color: blue
            name: null
            servers: [{address: 198.18.1.1}]
            """);

    assertThat(result.errors()).isEmpty();
  }

  @Test
  void keepsNullOfNullableField() {
    JsonNode spec =
        VALIDATOR
            .applyDefaults(
                withSpec(
                    """
                    size: Small
                    color: blue
                    description: null
                    servers: [{address: 198.18.1.1}]
                    """))
            .get("spec");

    assertThat(spec.get("description").isNull()).isTrue();
  }

  @Test
  void appliesDefaultsBeforeCelRules() {
    // duration(self.interval) could not evaluate without the defaulted interval.
    ValidationResult result =
        Widgets.validateSpec(
            """
            size: Small
            color: blue
            servers: [{address: 198.18.1.1}]
            healthCheck: {timeoutSeconds: 15}
            """);

    assertThat(result.errors())
        .containsExactly("spec.healthCheck.timeoutSeconds: timeoutSeconds must be less than 10");
  }
}
