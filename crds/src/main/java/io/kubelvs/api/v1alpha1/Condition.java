package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A condition in the shape of Kubernetes' {@code metav1.Condition}, with its field descriptions
 * (the fabric8 model class has none, and {@code kubectl explain} should explain every field).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Condition(
    @Required
        @Pattern(
            "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$")
        @Size(max = 316)
        @JsonPropertyDescription("Type of the condition in CamelCase, e.g. Ready.")
        String type,
    @Required @JsonPropertyDescription("Whether the condition holds: True, False or Unknown.")
        ConditionStatus status,
    @Min(0)
        @JsonPropertyDescription(
            "The .metadata.generation the condition was set from; older than the object's"
                + " generation means the condition is stale.")
        Long observedGeneration,
    @Required @JsonPropertyDescription("When status last changed (RFC 3339).")
        String lastTransitionTime,
    @Required
        @Pattern("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$")
        @Size(min = 1, max = 1024)
        @JsonPropertyDescription("Machine-readable reason of the last transition, in CamelCase.")
        String reason,
    @Required
        @Size(max = 32768)
        @JsonPropertyDescription("Human-readable details of the last transition.")
        String message) {

  /** {@code metav1.ConditionStatus}. */
  public enum ConditionStatus {
    True,
    False,
    Unknown
  }
}
