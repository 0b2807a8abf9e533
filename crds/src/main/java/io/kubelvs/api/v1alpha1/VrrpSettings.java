package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** VRRP settings shared by every instance of a pool (keepalived {@code vrrp_instance} keywords). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "self.version == 3"
            + " || duration(self.advertInterval) =="
            + " duration(string(duration(self.advertInterval).getSeconds()) + 's')",
    fieldPath = ".advertInterval",
    message = "VRRPv2 advertises in whole seconds (RFC 3768): use 1s, 2s, ...")
@ValidationRule(
    value =
        "self.version == 2"
            + " ? duration(self.advertInterval) >= duration('1s')"
            + " && duration(self.advertInterval) <= duration('255s')"
            + " : duration(self.advertInterval) >= duration('10ms')"
            + " && duration(self.advertInterval) <= duration('40950ms')",
    fieldPath = ".advertInterval",
    message = "advertInterval must be 1s to 255s for VRRPv2, 10ms to 40.95s for VRRPv3")
@ValidationRule(
    value = "!has(self.authentication) || self.version == 2",
    fieldPath = ".authentication",
    message = "authentication exists in VRRPv2 only: RFC 5798 removed it from VRRPv3")
public record VrrpSettings(
    @Min(2)
        @Max(3)
        @Default("3")
        @JsonPropertyDescription(
            "VRRP version: 2 (RFC 3768, IPv4 only) or 3 (RFC 5798) (keepalived version,"
                + " vrrp_version).")
        Integer version,
    @Pattern(Patterns.DURATION)
        @Default("1s")
        @JsonPropertyDescription(
            "Interval between adverts of the master: whole seconds 1s–255s for version 2,"
                + " 10ms–40.95s in steps of 10ms for version 3 (keepalived advert_int). A backup"
                + " takes over after 3 intervals and a skew.")
        String advertInterval,
    @Pattern(Patterns.IPV4_MULTICAST)
        @Default("224.0.0.18")
        @JsonPropertyDescription(
            "IPv4 multicast group of adverts (keepalived vrrp_mcast_group4); ignored when"
                + " unicast.")
        String multicastGroup,
    @Pattern(Patterns.IPV6_MULTICAST)
        @Default("ff02::12")
        @JsonPropertyDescription(
            "IPv6 multicast group of adverts (keepalived vrrp_mcast_group6); ignored when"
                + " unicast.")
        String multicastGroup6,
    @Default("false")
        @JsonPropertyDescription(
            "Send adverts by unicast to the other nodes of the pool instead of multicast; the"
                + " operator fills in their InternalIPs (keepalived unicast_peer).")
        Boolean unicast,
    @JsonPropertyDescription(
            "Virtual router ids the operator allocates instances from; default 1–255 (keepalived"
                + " virtual_router_id). Keep ranges of pools on one network apart.")
        VridRange vridRange,
    @JsonPropertyDescription(
            "Simple-text authentication of adverts, VRRPv2 only (keepalived authentication {"
                + " auth_type PASS }).")
        VrrpAuthentication authentication,
    @Default("true")
        @JsonPropertyDescription(
            "A node with a higher priority takes the master role back when it returns (false is"
                + " keepalived nopreempt).")
        Boolean preempt,
    @Pattern(Patterns.DURATION)
        @Default("0s")
        @JsonPropertyDescription(
            "Wait this long after start before preempting a lower-priority master (keepalived"
                + " preempt_delay).")
        String preemptDelay,
    @JsonPropertyDescription("How the operator assigns priorities (keepalived priority).")
        VrrpPriorities priorities,
    @Min(1)
        @Max(255)
        @Default("20")
        @JsonPropertyDescription(
            "Most VIPs one VRRP instance carries; more VIPs use more instances, each with its own"
                + " virtual router id (keepalived advises at most 20 per instance).")
        Integer maxVipsPerInstance,
    @JsonPropertyDescription(
            "Gratuitous ARP / unsolicited NA on becoming master (keepalived garp_* keywords).")
        GratuitousArp gratuitousArp) {}
