package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * One port of the VIP; each becomes an IPVS virtual server (keepalived {@code virtual_server <IP>
 * <PORT>} with {@code protocol}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServicePort(
    @Pattern("^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$")
        @JsonPropertyDescription("Optional name of the port, e.g. http.")
        String name,
    @Required
        @Min(1)
        @Max(65535)
        @JsonPropertyDescription("Port on the VIP (keepalived virtual_server <IP> <PORT>).")
        Integer port,
    @Default("TCP") @JsonPropertyDescription("Protocol (keepalived protocol).") Protocol protocol,
    @Min(1)
        @Max(65535)
        @JsonPropertyDescription(
            "Port on the real servers; defaults to port. DR forwarding cannot change it.")
        Integer targetPort) {}
