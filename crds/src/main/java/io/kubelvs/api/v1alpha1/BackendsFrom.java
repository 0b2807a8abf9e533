package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * Real servers taken from the ready endpoints of a Service in the VirtualService's namespace (its
 * EndpointSlices), so pods can be real servers without listing them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackendsFrom(
    @Required
        @Pattern("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")
        @JsonPropertyDescription("Name of the Service.")
        String serviceName,
    @Pattern("^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$")
        @JsonPropertyDescription(
            "Name of the Service port whose endpoint port the real servers use; defaults to the"
                + " Service's only port.")
        String portName,
    @Min(0)
        @Max(65535)
        @Default("1")
        @JsonPropertyDescription("Weight of every endpoint (keepalived weight).")
        Integer weight) {}
