package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Encapsulation of TUN forwarding. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Tunnel(
    @Default("ipip") @JsonPropertyDescription("Encapsulation (keepalived tun_type).")
        TunnelType type,
    @Min(1)
        @Max(65535)
        @JsonPropertyDescription("UDP destination port of GUE encapsulation (keepalived tun_port).")
        Integer port,
    @JsonPropertyDescription("Checksum of GUE/GRE encapsulation (keepalived tun_flags).")
        TunnelChecksum checksum) {}
