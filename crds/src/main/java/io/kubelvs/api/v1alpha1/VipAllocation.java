package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** A VIP of the pool and the VRRP instance that carries it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VipAllocation(
    @JsonPropertyDescription("The VIP.") String vip,
    @JsonPropertyDescription("Name of the VRRP instance that carries the VIP.") String instance,
    @JsonPropertyDescription("Virtual router id of that instance.") Integer vrid,
    @JsonPropertyDescription("Node that should be master of the instance (highest priority).")
        String preferredMaster,
    @JsonPropertyDescription("VirtualServices using the VIP, as namespace/name.")
        List<String> virtualServices) {}
