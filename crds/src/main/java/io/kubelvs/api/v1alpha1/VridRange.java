package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Inclusive range of VRRP virtual router ids the pool allocates from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.first <= self.last", message = "first must not be greater than last")
public record VridRange(
    @Required
        @Min(1)
        @Max(255)
        @JsonPropertyDescription("First virtual router id (keepalived virtual_router_id).")
        Integer first,
    @Required @Min(1) @Max(255) @JsonPropertyDescription("Last virtual router id.") Integer last) {}
