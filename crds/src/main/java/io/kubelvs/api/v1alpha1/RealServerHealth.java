package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The health of one real server as a director's checker sees it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RealServerHealth(
    @JsonPropertyDescription("Address of the real server.") String address,
    @JsonPropertyDescription("Port of the real server.") Integer port,
    @JsonPropertyDescription("The last check decided the server is up.") Boolean healthy,
    @JsonPropertyDescription("Weight in the IPVS table now (0 when inhibited).") Integer weight,
    @JsonPropertyDescription(
            "Why the last failed check failed, e.g. \"HTTP 503\" or \"connect timeout 1s\".")
        String lastError,
    @JsonPropertyDescription("When healthy last changed (RFC 3339).") String lastTransitionTime) {}
