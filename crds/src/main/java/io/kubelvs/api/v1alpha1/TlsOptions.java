package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;

/** TLS settings of an SSL_GET check. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TlsOptions(
    @Size(max = 253)
        @JsonPropertyDescription(
            "Server name to send in the TLS SNI extension; defaults to virtualHost (keepalived"
                + " enable_sni).")
        String serverName,
    @Default("false")
        @JsonPropertyDescription(
            "Verify the server's certificate chain and name; keepalived does not verify.")
        Boolean verify) {}
