package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** An HTTP GET check (keepalived HTTP_GET, or SSL_GET with {@code tls}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HttpCheck(
    @Default("/")
        @Pattern("^/.*")
        @Size(max = 2048)
        @JsonPropertyDescription("Path to request (keepalived url { path }).")
        String path,
    @Size(min = 1, max = 16)
        @JsonPropertyDescription(
            "Status codes that mean healthy, each a code or an inclusive range such as 200-299;"
                + " default 200-299 (keepalived url { status_code }).")
        List<@Pattern(Patterns.STATUS_CODES) String> statusCodes,
    @Pattern(Patterns.MD5_HEX)
        @JsonPropertyDescription(
            "MD5 digest of the expected body in lower-case hex, as keepalived's genhash prints it"
                + " (keepalived url { digest }).")
        String digest,
    @Size(max = 253)
        @JsonPropertyDescription(
            "Host header to send, and the TLS server name for sslGet unless tls.serverName is set"
                + " (keepalived virtualhost).")
        String virtualHost,
    @Default("\"1.0\"")
        @JsonPropertyDescription("HTTP version of the request (keepalived http_protocol).")
        HttpVersion httpVersion,
    @JsonPropertyDescription("TLS settings; only for sslGet.") TlsOptions tls) {}
