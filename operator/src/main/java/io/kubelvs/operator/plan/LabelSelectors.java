package io.kubelvs.operator.plan;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/** Kubernetes label-selector matching (metav1.LabelSelector semantics), without a client. */
final class LabelSelectors {

  private LabelSelectors() {}

  /**
   * Whether {@code labels} satisfy every matchLabels entry and every matchExpressions requirement.
   * An empty selector matches everything, as in Kubernetes.
   *
   * @throws IllegalArgumentException for an operator Kubernetes does not define
   */
  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> wanted : selector.getMatchLabels().entrySet()) {
        if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
        if (!matches(requirement, labels)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Refuses a selector whose requirements use an operator Kubernetes does not define, so a pool
   * with one is reported once instead of failing for every node.
   */
  static void check(LabelSelector selector) {
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
        matches(requirement, Map.of());
      }
    }
  }

  private static boolean matches(LabelSelectorRequirement requirement, Map<String, String> labels) {
    String value = labels.get(requirement.getKey());
    List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
    return switch (requirement.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      default ->
          throw new IllegalArgumentException(
              "label selector operator '"
                  + requirement.getOperator()
                  + "' on key "
                  + requirement.getKey()
                  + " is not In, NotIn, Exists or DoesNotExist");
    };
  }
}
