package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A key of a Secret in the namespace kubelvs runs in. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretKeySelector(
    @Required
        @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
        @JsonPropertyDescription("Name of the Secret, in the kubelvs operator's namespace.")
        String name,
    @Default("password")
        @Pattern("^[-._a-zA-Z0-9]{1,253}$")
        @JsonPropertyDescription("Key inside the Secret's data.")
        String key) {}
