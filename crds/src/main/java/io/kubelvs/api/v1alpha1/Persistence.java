package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** Client affinity: connections from one client go to one real server for a while. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Persistence(
    @Pattern(Patterns.DURATION)
        @Default("6m")
        @JsonPropertyDescription(
            "How long a client stays with its real server after its last connection, in whole"
                + " seconds (keepalived persistence_timeout, ipvsadm -p).")
        String timeout,
    @Pattern(Patterns.PERSISTENCE_NETMASK)
        @JsonPropertyDescription(
            "Clients whose addresses agree under this mask share a real server (keepalived"
                + " persistence_granularity, ipvsadm -M): an IPv4 netmask such as 255.255.255.0,"
                + " or for IPv6 a prefix length such as 64.")
        String netmask) {}
