package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * A load-balanced service: VIP and ports, scheduling, real servers and their health check (the app
 * team's part of keepalived.conf: one {@code virtual_server} per port).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(
    value = ListTypes.class,
    input = "ports: map(port, protocol); realServers: map(address); schedulerFlags: set")
@ValidationRule(
    value = "has(self.ports) != has(self.fwmark)",
    message = "set exactly one of ports or fwmark")
@ValidationRule(
    value = "!has(self.fwmark) || !has(self.vip)",
    fieldPath = ".vip",
    message = "a fwmark service is matched by firewall mark: vip must not be set with fwmark")
@ValidationRule(
    value = "has(self.realServers) || has(self.backendsFrom)",
    message = "set realServers, backendsFrom or both")
@ValidationRule(
    value =
        "!has(self.schedulerFlags) || self.schedulerFlags.all(f,"
            + " (!f.startsWith('sh-') || self.scheduler == 'sh')"
            + " && (!f.startsWith('mh-') || self.scheduler == 'mh'))",
    fieldPath = ".schedulerFlags",
    message =
        "sh-port and sh-fallback need scheduler sh; mh-port and mh-fallback need scheduler mh")
@ValidationRule(
    value =
        "self.forwarding != 'DR' || !has(self.ports)"
            + " || self.ports.all(p, !has(p.targetPort) || p.targetPort == p.port)",
    fieldPath = ".ports",
    message = "DR forwarding cannot change the port: targetPort must equal port")
@ValidationRule(
    value =
        "!has(self.realServers) || !has(self.ports) || size(self.ports) == 1"
            + " || self.realServers.all(rs, !has(rs.port))",
    fieldPath = ".realServers",
    message = "a real server's port can only be set when there is one port; use targetPort")
@ValidationRule(
    value =
        "!has(self.realServers) || !has(self.ports) || self.realServers.all(rs, !has(rs.port)"
            + " || (has(rs.forwarding) ? rs.forwarding : self.forwarding) != 'DR'"
            + " || self.ports.all(p, p.port == rs.port))",
    fieldPath = ".realServers",
    message = "DR forwarding cannot change the port: a DR real server's port must equal the port")
@ValidationRule(
    value =
        "!has(self.realServers) || self.realServers.all(rs, !has(rs.lowerThreshold)"
            + " || !has(rs.upperThreshold) || rs.lowerThreshold <= rs.upperThreshold)",
    fieldPath = ".realServers",
    message = "a real server's lowerThreshold must not exceed its upperThreshold")
@ValidationRule(
    value =
        "!has(self.tunnel) || self.forwarding == 'TUN' || (has(self.realServers)"
            + " && self.realServers.exists(rs, has(rs.forwarding) && rs.forwarding == 'TUN'))",
    fieldPath = ".tunnel",
    message = "tunnel applies to TUN forwarding only")
@ValidationRule(
    value =
        "!self.onePacketScheduling || !has(self.ports)"
            + " || self.ports.all(p, p.protocol == 'UDP')",
    fieldPath = ".onePacketScheduling",
    message = "onePacketScheduling applies to UDP ports only")
@ValidationRule(
    value = "self.hysteresis < self.quorum",
    fieldPath = ".hysteresis",
    message = "hysteresis must be smaller than quorum")
@ValidationRule(
    value =
        "!has(self.vip) || !has(self.ipFamily) || (self.ipFamily == 'IPv6') == self.vip.contains(':')",
    fieldPath = ".ipFamily",
    message = "ipFamily does not match the family of vip")
public record VirtualServiceSpec(
    @Required
        @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
        @JsonPropertyDescription("Name of the DirectorPool whose nodes direct this service.")
        String poolName,
    @Pattern(Patterns.IP)
        @JsonPropertyDescription(
            "Virtual IP address (keepalived virtual_ipaddress and virtual_server <IP>); allocated"
                + " from the pool's vipRanges when unset. Other VirtualServices may share it on"
                + " other ports.")
        String vip,
    @JsonPropertyDescription(
            "Address family of the VIP to allocate, or of a fwmark service; defaults to the vip's"
                + " family, else IPv4.")
        IpFamily ipFamily,
    @Size(min = 1, max = 32)
        @JsonPropertyDescription(
            "Ports of the VIP, each an IPVS virtual server sharing the settings below; exclusive"
                + " with fwmark.")
        List<ServicePort> ports,
    @Min(1)
        @Max(4294967295.0)
        @JsonPropertyDescription(
            "Balance packets carrying this firewall mark instead of a VIP and port (keepalived"
                + " virtual_server fwmark); the marks are set by your firewall rules.")
        Long fwmark,
    @Default("wlc")
        @JsonPropertyDescription("Scheduling algorithm (keepalived lb_algo, ipvsadm -s).")
        Scheduler scheduler,
    @Size(max = 3)
        @JsonPropertyDescription("Scheduler flags (keepalived lb_algo flags, ipvsadm -b).")
        List<SchedulerFlag> schedulerFlags,
    @Default("NAT")
        @JsonPropertyDescription(
            "Forwarding method of every real server that does not set its own (keepalived"
                + " lb_kind / lvs_method).")
        ForwardingMethod forwarding,
    @JsonPropertyDescription("Encapsulation of TUN forwarding (keepalived tun_type and friends).")
        Tunnel tunnel,
    @JsonPropertyDescription(
            "Client affinity (keepalived persistence_timeout, persistence_granularity).")
        Persistence persistence,
    @Default("false")
        @JsonPropertyDescription(
            "Schedule every UDP datagram on its own instead of per connection (keepalived ops,"
                + " ipvsadm -o).")
        Boolean onePacketScheduling,
    @Size(max = 1000)
        @JsonPropertyDescription("Real servers listed by address (keepalived real_server).")
        List<RealServer> realServers,
    @JsonPropertyDescription("Real servers taken from a Service's ready endpoints.")
        BackendsFrom backendsFrom,
    @JsonPropertyDescription(
            "How real servers are checked; without it every listed real server counts as"
                + " healthy.")
        HealthCheck healthCheck,
    @Min(1)
        @Default("1")
        @JsonPropertyDescription(
            "Sum of the weights of healthy real servers needed to serve; below it the sorry"
                + " server answers (keepalived quorum).")
        Long quorum,
    @Min(0)
        @Default("0")
        @JsonPropertyDescription(
            "Quorum is lost below quorum − hysteresis and regained at quorum + hysteresis"
                + " (keepalived hysteresis).")
        Long hysteresis,
    @JsonPropertyDescription(
            "Answers when quorum is lost or no real server is healthy (keepalived sorry_server).")
        SorryServer sorryServer,
    @Default("false")
        @JsonPropertyDescription(
            "On removal of a real server or of the service, report it as a down transition and"
                + " run quorum-down notification (keepalived omega).")
        Boolean omega,
    @Default("false")
        @JsonPropertyDescription(
            "Set a failed real server's weight to 0 instead of removing it, so its established"
                + " connections live on (keepalived inhibit_on_failure).")
        Boolean inhibitOnFailure,
    @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
        @JsonPropertyDescription(
            "Node that should be master of this VIP while it is healthy; otherwise the operator"
                + " spreads masters over the pool's nodes.")
        String preferredNode) {}
