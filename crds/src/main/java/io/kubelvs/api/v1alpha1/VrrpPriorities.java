package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * How the operator assigns VRRP priorities (keepalived {@code priority}). For each VRRP instance it
 * orders the pool's nodes; the first gets {@code highest}, each next one {@code step} less. The
 * seed's 100 and 98 are highest 100, step 2. The order differs between instances, so masters spread
 * over the nodes (active-active) without any {@code state MASTER} setting.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VrrpPriorities(
    @Min(2)
        @Max(254)
        @Default("100")
        @JsonPropertyDescription("Priority of the preferred master of an instance.")
        Integer highest,
    @Min(1)
        @Max(100)
        @Default("2")
        @JsonPropertyDescription("Difference between the priorities of consecutive nodes.")
        Integer step) {}
