package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * The server that answers when the virtual service is below quorum or has no healthy real server
 * (keepalived {@code sorry_server}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SorryServer(
    @Required
        @Pattern(Patterns.IP)
        @JsonPropertyDescription("Address of the sorry server (keepalived sorry_server <IP>).")
        String address,
    @Required
        @Min(0)
        @Max(65535)
        @JsonPropertyDescription("Port of the sorry server (keepalived sorry_server <IP> <PORT>).")
        Integer port,
    @JsonPropertyDescription(
            "Forwarding method to the sorry server; defaults to the virtual service's (keepalived"
                + " sorry_server_lvs_method).")
        ForwardingMethod forwarding,
    @Default("false")
        @JsonPropertyDescription(
            "Keep the sorry server in the table with weight 0 instead of removing it while real"
                + " servers are up (keepalived sorry_server_inhibit).")
        Boolean inhibit) {}
