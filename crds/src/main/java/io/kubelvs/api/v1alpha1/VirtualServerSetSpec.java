package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The virtual servers of one VRRP instance, as every node of its pool runs them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(value = ListTypes.class, input = "virtualServers: map(name)")
public record VirtualServerSetSpec(
    @Required @JsonPropertyDescription("The DirectorPool whose instance this is.") String poolName,
    @Required @JsonPropertyDescription("The VRRP instance whose VIPs the servers are on.")
        String instanceName,
    // As many as an instance of a Director may carry inline.
    @Size(max = 1000)
        @JsonPropertyDescription(
            "IPVS virtual servers on the instance's VIPs (keepalived virtual_server).")
        List<VirtualServer> virtualServers) {}
