package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The VirtualService a Director's virtual server was planned from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VirtualServiceRef(
    @JsonPropertyDescription("Namespace of the VirtualService.") String namespace,
    @JsonPropertyDescription("Name of the VirtualService.") String name,
    @JsonPropertyDescription("Generation of the VirtualService that was planned.")
        Long generation) {}
