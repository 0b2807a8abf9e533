package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A command run on the director: exit 0 means up, 1 down; with {@code dynamicWeight}, 2–255 means
 * up with weight (code − 2), as keepalived's MISC_CHECK.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MiscCheck(
    @Required
        @Size(min = 1, max = 4096)
        @JsonPropertyDescription(
            "Command line, run by /bin/sh on the director's agent (keepalived misc_path).")
        String command,
    @Pattern(Patterns.DURATION)
        @JsonPropertyDescription(
            "Kill the command after this long and count the check as failed; defaults to the"
                + " health check's connectTimeout (keepalived misc_timeout).")
        String timeout,
    @Default("false")
        @JsonPropertyDescription(
            "Exit codes 2–255 set the real server's weight to (code − 2) (keepalived"
                + " misc_dynamic).")
        Boolean dynamicWeight) {}
