package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The network interface VRRP runs on and VIPs are added to (keepalived {@code interface}): by name,
 * or the interface that has an address in a CIDR, for nodes whose interface names differ.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.name) != has(self.cidr)",
    message = "set exactly one of name or cidr")
public record InterfaceSelector(
    @Pattern(Patterns.INTERFACE_NAME)
        @JsonPropertyDescription("Interface name, e.g. eth0 (keepalived interface).")
        String name,
    @Pattern(Patterns.CIDR)
        @JsonPropertyDescription(
            "Use the interface that has an address inside this CIDR, e.g. 198.18.0.0/24.")
        String cidr) {}
