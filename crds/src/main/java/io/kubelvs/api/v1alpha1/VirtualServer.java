package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * One IPVS virtual server as one node runs it (keepalived {@code virtual_server}), with every
 * address resolved: real servers carry concrete ports and forwarding methods.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VirtualServer(
    @Required
        @Size(max = 253)
        @JsonPropertyDescription(
            "Unique name, derived from the VirtualService and the port, e.g."
                + " web/seed-http/80-tcp.")
        String name,
    @JsonPropertyDescription("The VirtualService this was planned from.") VirtualServiceRef owner,
    @Pattern(Patterns.IP)
        @JsonPropertyDescription("Virtual address (keepalived virtual_server <IP>).")
        String vip,
    @Min(0)
        @Max(65535)
        @JsonPropertyDescription("Virtual port (keepalived virtual_server <IP> <PORT>).")
        Integer port,
    @JsonPropertyDescription("Protocol (keepalived protocol).") Protocol protocol,
    @Min(1)
        @Max(4294967295.0)
        @JsonPropertyDescription("Firewall mark instead of vip and port (keepalived fwmark).")
        Long fwmark,
    @JsonPropertyDescription("Address family.") IpFamily ipFamily,
    @Required @JsonPropertyDescription("Scheduler (keepalived lb_algo).") Scheduler scheduler,
    @JsonPropertyDescription("Scheduler flags.") List<SchedulerFlag> schedulerFlags,
    @JsonPropertyDescription("TUN encapsulation.") Tunnel tunnel,
    @JsonPropertyDescription("Client affinity.") Persistence persistence,
    @JsonPropertyDescription("One-packet scheduling (keepalived ops).") Boolean onePacketScheduling,
    @Size(max = 1000)
        @JsonPropertyDescription("Real servers with their resolved ports and forwarding.")
        List<RealServer> realServers,
    @JsonPropertyDescription("Health check of the real servers.") HealthCheck healthCheck,
    @JsonPropertyDescription("Quorum (keepalived quorum).") Long quorum,
    @JsonPropertyDescription("Hysteresis (keepalived hysteresis).") Long hysteresis,
    @JsonPropertyDescription("Sorry server (keepalived sorry_server).") SorryServer sorryServer,
    @JsonPropertyDescription("keepalived omega.") Boolean omega,
    @JsonPropertyDescription("keepalived inhibit_on_failure.") Boolean inhibitOnFailure) {}
