package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * VRRPv2 simple-text authentication (keepalived {@code authentication { auth_type PASS auth_pass
 * ... }}). Only the first 8 bytes of the password go on the wire (RFC 3768 §5.3.10).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VrrpAuthentication(
    @Required
        @JsonPropertyDescription(
            "Secret key holding the password (keepalived auth_pass); keepalived uses at most 8"
                + " characters.")
        SecretKeySelector passwordSecretRef) {}
