package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * One VRRP instance as one node runs it (keepalived {@code vrrp_instance}), fully resolved, with
 * the IPVS virtual servers its VIPs carry: inline, or in a {@link VirtualServerSet} it names, or
 * both.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(value = ListTypes.class, input = "virtualServers: map(name)")
public record VrrpInstance(
    @Required
        @Pattern("^[a-zA-Z0-9][-a-zA-Z0-9_.]{0,62}$")
        @JsonPropertyDescription("Instance name (keepalived vrrp_instance <NAME>).")
        String name,
    @Required
        @JsonProperty("interface")
        @JsonPropertyDescription("Interface of the instance (keepalived interface).")
        InterfaceSelector networkInterface,
    @Required
        @Min(1)
        @Max(255)
        @JsonPropertyDescription("Virtual router id (keepalived virtual_router_id).")
        Integer vrid,
    @Required
        @Min(1)
        @Max(255)
        @JsonPropertyDescription(
            "This node's priority; 255 owns the addresses (keepalived priority).")
        Integer priority,
    @Required @Min(2) @Max(3) @JsonPropertyDescription("VRRP version (keepalived version).")
        Integer version,
    @Required
        @Pattern(Patterns.DURATION)
        @JsonPropertyDescription("Advert interval (keepalived advert_int).")
        String advertInterval,
    @Pattern(Patterns.IP)
        @JsonPropertyDescription(
            "Multicast group of adverts; unset when unicastPeers are set (keepalived"
                + " vrrp_mcast_group4/6).")
        String multicastGroup,
    @Size(max = 64)
        @JsonPropertyDescription(
            "Send adverts to these peers by unicast (keepalived unicast_peer).")
        List<@Pattern(Patterns.IP) String> unicastPeers,
    @JsonPropertyDescription("VRRPv2 PASS authentication (keepalived authentication).")
        VrrpAuthentication authentication,
    @JsonPropertyDescription("Preempt a lower-priority master (false is keepalived nopreempt).")
        Boolean preempt,
    @Pattern(Patterns.DURATION)
        @JsonPropertyDescription("Delay before preempting after start (keepalived preempt_delay).")
        String preemptDelay,
    @JsonPropertyDescription("Gratuitous ARP / unsolicited NA settings (keepalived garp_*).")
        GratuitousArp gratuitousArp,
    @Required
        @Size(min = 1, max = 255)
        @JsonPropertyDescription(
            "Addresses the master holds, each with an optional prefix length; /32 or /128 when"
                + " omitted (keepalived virtual_ipaddress).")
        List<@Pattern(Patterns.IP_WITH_OPTIONAL_PREFIX) String> vips,
    // At most 1,000 per instance: with 1,024 instances a CEL rule of a virtual server is estimated
    // at a million evaluations, well inside the API server's cost budget per CRD.
    @Size(max = 1000)
        @JsonPropertyDescription(
            "IPVS virtual servers on this instance's VIPs (keepalived virtual_server); they move"
                + " with the VIPs.")
        List<VirtualServer> virtualServers,
    @JsonPropertyDescription(
            "More virtual servers on this instance's VIPs, kept in a VirtualServerSet shared by"
                + " the pool's nodes; the node runs them besides virtualServers.")
        VirtualServerSetRef virtualServerSet) {

  /** This instance without virtual servers: its own VRRP settings and VIPs only. */
  public VrrpInstance withoutServers() {
    return withServers(null, null);
  }

  /** This instance with other virtual servers, inline and by reference. */
  public VrrpInstance withServers(List<VirtualServer> inline, VirtualServerSetRef set) {
    return new VrrpInstance(
        name,
        networkInterface,
        vrid,
        priority,
        version,
        advertInterval,
        multicastGroup,
        unicastPeers,
        authentication,
        preempt,
        preemptDelay,
        gratuitousArp,
        vips,
        inline,
        set);
  }
}
