package io.kubelvs.api.schema;

import static io.kubelvs.api.schema.Widgets.validateSpec;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ListTopologyTest {

  @Test
  void duplicateSetItemIsRejectedAtItsSecondOccurrence() {
    ValidationResult result =
        validateSpec(
            """
            size: Small
            color: blue
            tags: [a, b, a, a]
            servers: [{address: 198.18.1.1}]
            """);

    assertThat(result.errors()).containsExactly("spec.tags[2]: Duplicate value: \"a\"");
  }

  @Test
  void duplicateMapKeyIsRejected() {
    ValidationResult result =
        validateSpec(
            """
            size: Small
            color: blue
            servers:
              - {address: 198.18.1.1, port: 80}
              - {address: 198.18.1.1, port: 80, weight: 5}
            """);

    assertThat(result.errors())
        .containsExactly("spec.servers[1]: Duplicate value: map[address:198.18.1.1 port:80]");
  }

  @Test
  void defaultedKeyFieldTakesPartInTheKey() {
    ValidationResult result =
        validateSpec(
            """
            size: Small
            color: blue
            servers:
              - {address: 198.18.1.1}
              - {address: 198.18.1.1, port: 80}
            """);

    assertThat(result.errors())
        .containsExactly("spec.servers[1]: Duplicate value: map[address:198.18.1.1 port:80]");
  }

  @Test
  void itemsDifferingInOneKeyFieldAreDistinct() {
    ValidationResult result =
        validateSpec(
            """
            size: Small
            color: blue
            servers:
              - {address: 198.18.1.1, port: 80}
              - {address: 198.18.1.1, port: 443}
            """);

    assertThat(result.errors()).isEmpty();
  }
}
