package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A VRRP instance as the node's agent runs it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VrrpInstanceStatus(
    @Required @JsonPropertyDescription("Instance name.") String name,
    @JsonPropertyDescription("Current state.") VrrpState state,
    @JsonPropertyDescription("When the instance entered its state (RFC 3339).") String since,
    @JsonPropertyDescription("Priority in effect.") Integer priority,
    @JsonPropertyDescription("Primary address of the master heard last.") String masterAddress,
    @JsonPropertyDescription("Why the instance is in FAULT, if it is.") String message) {}
