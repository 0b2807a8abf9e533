package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** One backend of a virtual service (keepalived {@code real_server}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RealServer(
    @Required
        @Pattern(Patterns.IP)
        @JsonPropertyDescription("Address of the real server (keepalived real_server <IP>).")
        String address,
    @Min(0)
        @Max(65535)
        @JsonPropertyDescription(
            "Port of the real server (keepalived real_server <IP> <PORT>). In a VirtualService it"
                + " defaults to the port's targetPort and may only be set when the service has one"
                + " port; 0 with fwmark keeps the packet's port. DR forwarding cannot change the"
                + " port.")
        Integer port,
    @Min(0)
        @Max(65535)
        @Default("1")
        @JsonPropertyDescription(
            "Scheduling weight (keepalived weight). 0 keeps existing connections but sends no new"
                + " ones (inhibited).")
        Integer weight,
    @JsonPropertyDescription(
            "Forwarding method for this server; defaults to the virtual service's (keepalived"
                + " lvs_method / lb_kind in real_server).")
        ForwardingMethod forwarding,
    @Min(0)
        @JsonPropertyDescription(
            "Stop sending new connections above this many active connections; 0 means no limit"
                + " (keepalived uthreshold, ipvsadm -x).")
        Integer upperThreshold,
    @Min(0)
        @JsonPropertyDescription(
            "Resume sending connections below this many active connections (keepalived"
                + " lthreshold, ipvsadm -y).")
        Integer lowerThreshold) {}
