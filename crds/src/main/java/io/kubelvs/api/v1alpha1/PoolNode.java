package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A director node of a pool, as the operator sees it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PoolNode(
    @JsonPropertyDescription("Node name; also the name of its Director.") String name,
    @JsonPropertyDescription("The node's InternalIP, used as a unicast peer.") String address,
    @JsonPropertyDescription("The node is Ready and its agent applied its Director.")
        Boolean ready) {}
