package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import java.util.List;

/** What the node's agent observed; written by the agent only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(
    value = ListTypes.class,
    input =
        "virtualServerSets: map(name); instances: map(name); virtualServers: map(name);"
            + " conditions: map(type)")
public record DirectorStatus(
    @JsonPropertyDescription("The generation of the spec the agent has applied.")
        Long observedGeneration,
    @JsonPropertyDescription(
            "The VirtualServerSets the applied spec names, each at the generation the agent"
                + " applied; a set changes without its Directors.")
        List<VirtualServerSetRef> virtualServerSets,
    @JsonPropertyDescription("Number of VRRP instances running.") Integer instanceCount,
    @JsonPropertyDescription("Instances this node is master of, comma-separated.") String masterOf,
    @JsonPropertyDescription("Each VRRP instance.") List<VrrpInstanceStatus> instances,
    @JsonPropertyDescription("Each virtual server.") List<VirtualServerStatus> virtualServers,
    @JsonPropertyDescription(
            "Ready; Applied (the spec of observedGeneration is in the kernel); Degraded (with the"
                + " reason); Invalid (the spec was refused, with the validation message).")
        List<Condition> conditions) {}
