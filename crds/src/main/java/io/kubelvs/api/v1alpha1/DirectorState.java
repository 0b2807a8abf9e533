package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How one director node serves a VirtualService. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DirectorState(
    @JsonPropertyDescription("The director node.") String node,
    @JsonPropertyDescription("VRRP state of the instance carrying the VIP on that node.")
        VrrpState state,
    @JsonPropertyDescription("VRRP priority of the node in that instance.") Integer priority,
    @JsonPropertyDescription("The node's agent has applied the VirtualService's generation.")
        Boolean programmed,
    @JsonPropertyDescription("Healthy real servers as that node's checkers see them, e.g. 2/2.")
        String backends,
    @JsonPropertyDescription("The node's last error for this VirtualService, if any.")
        String message) {}
