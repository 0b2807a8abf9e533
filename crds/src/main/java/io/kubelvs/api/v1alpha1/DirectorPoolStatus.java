package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import java.util.List;

/** What the operator made of a pool. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(value = ListTypes.class, input = "conditions: map(type)")
public record DirectorPoolStatus(
    @JsonPropertyDescription("The generation of the spec this status describes.")
        Long observedGeneration,
    @JsonPropertyDescription("Ready director nodes over all selected nodes, e.g. 2/2.")
        String readyNodes,
    @JsonPropertyDescription("Number of VIPs in use.") Integer vipCount,
    @JsonPropertyDescription("Selected nodes.") List<PoolNode> nodes,
    @JsonPropertyDescription("VIPs and their VRRP instances.") List<VipAllocation> allocations,
    @JsonPropertyDescription(
            "Ready; Degraded (a node failed to apply, split brain: two masters of one instance);"
                + " Exhausted (no free virtual router id or VIP); Invalid.")
        List<Condition> conditions) {}
