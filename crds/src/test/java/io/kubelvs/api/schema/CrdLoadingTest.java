package io.kubelvs.api.schema;

import static io.kubelvs.api.schema.Widgets.gadgetCrd;
import static io.kubelvs.api.schema.Widgets.loadCrd;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CRDs the API server would refuse are refused on load, naming the rule and where it sits. */
class CrdLoadingTest {

  @TempDir Path tempDir;

  @Test
  void ruleWithSyntaxErrorFailsLoading() {
    String crd = gadgetCrd(withRule("self.size ==", ""));

    assertThatThrownBy(() -> loadCrd(tempDir, crd))
        .isInstanceOf(InvalidCrdException.class)
        .hasMessageStartingWith(
            "gadgets.example.test/v1: openAPIV3Schema.properties[spec]"
                + ".x-kubernetes-validations[0].rule: Invalid value: \"self.size ==\":"
                + " compilation failed");
  }

  @Test
  void ruleReadingAnUndeclaredFieldFailsLoading() {
    String crd = gadgetCrd(withRule("self.colour == 'red'", ""));

    assertThatThrownBy(() -> loadCrd(tempDir, crd))
        .isInstanceOf(InvalidCrdException.class)
        .hasMessageContaining("x-kubernetes-validations[0].rule")
        .hasMessageContaining("undefined field 'colour'");
  }

  @Test
  void ruleComparingMismatchedTypesFailsLoading() {
    String crd = gadgetCrd(withRule("self.size == 3", ""));

    assertThatThrownBy(() -> loadCrd(tempDir, crd))
        .isInstanceOf(InvalidCrdException.class)
        .hasMessageContaining("no matching overload");
  }

  @Test
  void ruleThatIsNotABooleanFailsLoading() {
    String crd = gadgetCrd(withRule("self.size", ""));

    assertThatThrownBy(() -> loadCrd(tempDir, crd))
        .isInstanceOf(InvalidCrdException.class)
        .hasMessageContaining("must evaluate to bool");
  }

  @Test
  void ruleWithInvalidDurationLiteralFailsLoading() {
    String crd = gadgetCrd(withRule("duration('forever') > duration('1s')", ""));

    assertThatThrownBy(() -> loadCrd(tempDir, crd))
        .isInstanceOf(InvalidCrdException.class)
        .hasMessageContaining("duration");
  }

  @Test
  void ruleWithMixedTypeListLiteralFailsLoading() {
    String crd = gadgetCrd(withRule("[self.size, 1].size() == 2", ""));

    assertThatThrownBy(() -> loadCrd(tempDir, crd))
        .isInstanceOf(InvalidCrdException.class)
        .hasMessageContaining("expected type 'string' but found 'int'");
  }

  @Test
  void ruleWithFunctionKubernetesLacksFailsLoading() {
    // cel-java's lists extension has sort(); the API server's CEL environment does not.
    String crd = gadgetCrd(withRule("[self.size].sort().size() == 1", ""));

    assertThatThrownBy(() -> loadCrd(tempDir, crd))
        .isInstanceOf(InvalidCrdException.class)
        .hasMessageContaining("undeclared reference to 'sort'");
  }

  @Test
  void fieldPathToUndeclaredFieldFailsLoading() {
    String crd = gadgetCrd(withRule("has(self.size)", "fieldPath: .colour"));

    assertThatThrownBy(() -> loadCrd(tempDir, crd))
        .isInstanceOf(InvalidCrdException.class)
        .hasMessageContaining(
            "x-kubernetes-validations[0].fieldPath: Invalid value: \".colour\": does not refer to a"
                + " valid field");
  }

  @Test
  void messageExpressionThatIsNotAStringFailsLoading() {
    String crd = gadgetCrd(withRule("has(self.size)", "messageExpression: self.size.size()"));

    assertThatThrownBy(() -> loadCrd(tempDir, crd))
        .isInstanceOf(InvalidCrdException.class)
        .hasMessageContaining("x-kubernetes-validations[0].messageExpression")
        .hasMessageContaining("must evaluate to string");
  }

  private static String withRule(String rule, String extra) {
    return """
        type: object
        properties: {size: {type: string}}
        x-kubernetes-validations:
          - rule: "%s"
            %s
        """
        .formatted(rule, extra);
  }
}
