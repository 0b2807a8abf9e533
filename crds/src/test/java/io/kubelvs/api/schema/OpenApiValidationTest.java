package io.kubelvs.api.schema;

import static io.kubelvs.api.schema.Widgets.validateSpec;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpenApiValidationTest {

  private static final String RULES_NOT_CHECKED =
      "<root>: some validation rules were not checked because the object was invalid; correct"
          + " the existing errors to complete validation";

  @Test
  void missingRequiredFieldNamesTheField() {
    ValidationResult result =
        validateSpec(
            """
            color: blue
            servers: [{address: 198.18.1.1}]
            """);

    assertThat(result.errors()).containsExactly(RULES_NOT_CHECKED, "spec.size: Required value");
  }

  @Test
  void valueOutsideEnumListsSupportedValues() {
    ValidationResult result =
        validateSpec(
            """
            size: Huge
            color: blue
            servers: [{address: 198.18.1.1}]
            """);

    assertThat(result.errors())
        .contains(
            "spec.size: Unsupported value: \"Huge\": supported values: \"Small\", \"Medium\","
                + " \"Large\"");
  }

  @Test
  void numberAboveMaximumNamesTheListItem() {
    ValidationResult result =
        validateSpec(
            """
            size: Small
            color: blue
            servers: [{address: 198.18.1.1, port: 70000}]
            """);

    assertThat(result.errors())
        .containsExactly(
            "spec.servers[0].port: Invalid value: 70000: should be less than or equal to 65535");
  }

  @Test
  void exclusiveMaximumRejectsTheBoundItself() {
    ValidationResult result =
        validateSpec(
            """
            size: Small
            color: blue
            servers: [{address: 198.18.1.1, weight: 65535}]
            """);

    assertThat(result.errors())
        .containsExactly("spec.servers[0].weight: Invalid value: 65535: should be less than 65535");
  }

  @Test
  void stringNotMatchingPatternShowsThePattern() {
    ValidationResult result =
        validateSpec(
            """
            size: Small
            color: blue
            name: Front
            servers: [{address: 198.18.1.1}]
            """);

    assertThat(result.errors())
        .containsExactly("spec.name: Invalid value: \"Front\": should match '^[a-z][a-z0-9-]*$'");
  }

  @Test
  void tooLongStringIsRejected() {
    ValidationResult result =
        validateSpec(
            """
            size: Small
            color: blue
            name: a-very-long-widget-name
            servers: [{address: 198.18.1.1}]
            """);

    assertThat(result.errors())
        .containsExactly(
            RULES_NOT_CHECKED, "spec.name: Too long: may not be more than 15 characters");
  }

  @Test
  void tooManyItemsIsRejected() {
    ValidationResult result =
        validateSpec(
            """
            size: Small
            color: blue
            servers:
              - {address: 198.18.1.1}
              - {address: 198.18.1.2}
              - {address: 198.18.1.3}
              - {address: 198.18.1.4}
              - {address: 198.18.1.5}
            """);

    assertThat(result.errors())
        .containsExactly(RULES_NOT_CHECKED, "spec.servers: Too many: 5: must have at most 4 items");
  }

  @Test
  void tooFewItemsIsRejected() {
    ValidationResult result =
        validateSpec(
            """
            size: Small
            color: blue
            servers: []
            """);

    assertThat(result.errors())
        .containsExactly("spec.servers: Invalid value: \"array\": should have at least 1 items");
  }

  @Test
  void wrongTypeNamesTheExpectedType() {
    ValidationResult result =
        validateSpec(
            """
            size: Small
            color: blue
            replicas: three
            servers: [{address: 198.18.1.1}]
            """);

    assertThat(result.errors())
        .containsExactly(
            RULES_NOT_CHECKED, "spec.replicas: Invalid value: \"three\": must be of type integer");
  }

  @Test
  void nullIsRejectedWhereNotNullableAndKeptWhereNullable() {
    ValidationResult result =
        validateSpec(
            """
            size: Small
            color: blue
            description: null
            servers: [{address: 198.18.1.1, weight: null}, null]
            """);

    assertThat(result.errors())
        .containsExactly(
            RULES_NOT_CHECKED, "spec.servers[1]: Invalid value: null: must be of type object");
  }

  @Test
  void errorInMapValueNamesItsKey() {
    ValidationResult result =
        validateSpec(
            """
            size: Small
            color: blue
            servers: [{address: 198.18.1.1}]
            labels: {team: load-balancing}
            """);

    assertThat(result.errors())
        .containsExactly(
            RULES_NOT_CHECKED, "spec.labels[team]: Too long: may not be more than 8 characters");
  }

  @Test
  void intOrStringAcceptsBothAndNothingElse() {
    assertThat(validateSpec(specWithWeight("50")).errors()).isEmpty();
    assertThat(validateSpec(specWithWeight("'50%'")).errors()).isEmpty();
    assertThat(validateSpec(specWithWeight("true")).errors())
        .containsExactly(
            RULES_NOT_CHECKED,
            "spec.weight: Invalid value: true: must be of type integer or string");
  }

  @Test
  void ipv4FormatIsChecked() {
    ValidationResult result =
        validateSpec(
            """
            size: Small
            color: blue
            servers: [{address: 198.18.1}]
            """);

    assertThat(result.errors())
        .containsExactly(
            "spec.servers[0].address: Invalid value: \"198.18.1\": must be of type ipv4");
  }

  @Test
  void kubernetesOnlyFormatsAreChecked() {
    ValidationResult result =
        validateSpec(
            """
            size: Small
            color: blue
            servers: [{address: 198.18.1.1}]
            network: {subnet: 198.18.0.0/33, startedAt: yesterday, interval: PT1S}
            """);

    assertThat(result.errors())
        .contains(
            "spec.network.interval: Invalid value: \"PT1S\": must be of type duration",
            "spec.network.startedAt: Invalid value: \"yesterday\": must be of type date-time",
            "spec.network.subnet: Invalid value: \"198.18.0.0/33\": must be of type cidr");
  }

  @Test
  void formatsKubernetesDoesNotCheckAreIgnored() {
    // replicas has format: int32; a value beyond int32 is not a format error on the API server.
    ValidationResult result =
        validateSpec(
            """
            size: Small
            color: blue
            replicas: 5
            servers: [{address: 198.18.1.1}]
            """);

    assertThat(result.errors()).isEmpty();
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
