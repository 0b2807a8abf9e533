package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * A {@link VirtualServerSet} at a generation. In a Director's VRRP instance: the instance's virtual
 * servers are kept in that set, and the agent applies the Director once it holds the set at this
 * generation or a later one (so what a Director newly names, VIP and servers, arrive together);
 * after that it applies each newer generation of the set as it comes, and the Director is not
 * rewritten for it. In a Director's status: the generation the agent applied.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VirtualServerSetRef(
    @Required
        @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
        @JsonPropertyDescription("Name of the VirtualServerSet.")
        String name,
    @Required
        @Min(1)
        @JsonPropertyDescription(
            "The set's generation (metadata.generation): in a spec, the least one the node may"
                + " run; in a status, the one it runs.")
        Long generation) {}
