package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** A DNS query check (keepalived DNS_CHECK): healthy when the server answers the query. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DnsCheck(
    @Default("SOA") @JsonPropertyDescription("Record type to ask for (keepalived type).")
        DnsQueryType type,
    @Default(".")
        @Pattern(Patterns.DNS_NAME)
        @JsonPropertyDescription("Name to ask about (keepalived name).")
        String name) {}
