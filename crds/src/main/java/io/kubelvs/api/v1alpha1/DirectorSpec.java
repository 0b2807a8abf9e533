package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The whole desired configuration of one director node, as the operator planned it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(
    value = ListTypes.class,
    input = "vrrpInstances: map(name); virtualServers: map(name)")
public record DirectorSpec(
    @Required @JsonPropertyDescription("The node this Director is for.") String nodeName,
    @Required @JsonPropertyDescription("The DirectorPool the node belongs to.") String poolName,
    @Size(max = 1024)
        @JsonPropertyDescription("VRRP instances of the node (keepalived vrrp_instance).")
        List<VrrpInstance> vrrpInstances,
    @Size(max = 10000)
        @JsonPropertyDescription("IPVS virtual servers of the node (keepalived virtual_server).")
        List<VirtualServer> virtualServers,
    @JsonPropertyDescription("Notifications (keepalived global_defs).")
        Notification notification) {}
