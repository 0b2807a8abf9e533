package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/** Which nodes direct, and how they speak VRRP: the platform team's part of keepalived.conf. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(value = ListTypes.class, input = "vipRanges: set")
@SchemaCustomizer(
    value = SchemaDescriptions.class,
    input =
        "{\"nodeSelector.matchLabels\": \"Nodes must carry each of these labels with these values.\", \"nodeSelector.matchExpressions\": \"Nodes must match each of these label requirements.\", \"nodeSelector.matchExpressions.[].key\": \"Label key.\", \"nodeSelector.matchExpressions.[].operator\": \"In, NotIn, Exists or DoesNotExist.\", \"nodeSelector.matchExpressions.[].values\": \"Values for In and NotIn; empty for Exists and DoesNotExist.\"}")
public record DirectorPoolSpec(
    @Required
        @JsonPropertyDescription(
            "Nodes that run the director agent for this pool; every matching Ready node joins"
                + " each of the pool's VRRP instances.")
        LabelSelector nodeSelector,
    @Required
        @JsonProperty("interface")
        @JsonPropertyDescription("Interface for VRRP and VIPs (keepalived interface).")
        InterfaceSelector networkInterface,
    @JsonPropertyDescription("VRRP settings of every instance in the pool.") VrrpSettings vrrp,
    @Size(max = 64)
        @JsonPropertyDescription(
            "Addresses the operator may allocate VIPs from for VirtualServices without a vip:"
                + " CIDRs or first-last ranges, IPv4 or IPv6.")
        List<@Pattern(Patterns.ADDRESS_RANGE) String> vipRanges,
    @JsonPropertyDescription("Notifications of state changes (keepalived global_defs).")
        Notification notification) {}
