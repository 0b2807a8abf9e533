package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import java.util.List;

/** What the directors do for a VirtualService, folded together by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(value = ListTypes.class, input = "conditions: map(type)")
public record VirtualServiceStatus(
    @JsonPropertyDescription("The generation of the spec this status describes.")
        Long observedGeneration,
    @JsonPropertyDescription("The VIP in use: spec.vip, or the one allocated from the pool.")
        String vip,
    @JsonPropertyDescription("VRRP instance carrying the VIP.") String instance,
    @JsonPropertyDescription("Virtual router id of that instance.") Integer vrid,
    @JsonPropertyDescription("The node that is VRRP master of the VIP now.") String masterNode,
    @JsonPropertyDescription("Healthy real servers over all real servers, e.g. 2/2.")
        String backends,
    @JsonPropertyDescription("Number of healthy real servers.") Integer readyBackends,
    @JsonPropertyDescription("Number of real servers.") Integer totalBackends,
    @JsonPropertyDescription("The sorry server is taking the traffic.") Boolean sorryServerActive,
    @JsonPropertyDescription("Each director node's view.") List<DirectorState> directors,
    @JsonPropertyDescription("Health of each real server, as the master's checkers see it.")
        List<RealServerHealth> realServers,
    @JsonPropertyDescription(
            "Ready, Programmed (every director applied this generation), Degraded, Conflict"
                + " (another VirtualService holds the VIP, port and protocol), Invalid.")
        List<Condition> conditions) {}
