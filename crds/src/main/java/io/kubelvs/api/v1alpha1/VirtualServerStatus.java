package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** A virtual server as the node's agent runs it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VirtualServerStatus(
    @Required @JsonPropertyDescription("Name of the virtual server in the spec.") String name,
    @JsonPropertyDescription("Health of each real server.") List<RealServerHealth> realServers,
    @JsonPropertyDescription("The sorry server is in the IPVS table with weight.")
        Boolean sorryServerActive,
    @JsonPropertyDescription("The healthy weight reaches quorum.") Boolean quorumMet,
    @JsonPropertyDescription("IPVS counters.") IpvsStats stats) {}
