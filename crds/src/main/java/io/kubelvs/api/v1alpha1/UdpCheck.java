package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/**
 * A UDP check (keepalived UDP_CHECK): send a datagram; without {@code requireReply}, healthy unless
 * an ICMP port unreachable comes back.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UdpCheck(
    @Pattern(Patterns.HEX_BYTES)
        @Size(max = 2048)
        @JsonPropertyDescription("Datagram to send, as hex bytes (keepalived payload).")
        String payload,
    @Default("false")
        @JsonPropertyDescription("Healthy only if a reply arrives (keepalived require_reply).")
        Boolean requireReply,
    @Min(0)
        @Max(65535)
        @JsonPropertyDescription(
            "Shortest acceptable reply in bytes (keepalived min_reply_length).")
        Integer minReplyLength,
    @Min(0)
        @Max(65535)
        @JsonPropertyDescription("Longest acceptable reply in bytes (keepalived max_reply_length).")
        Integer maxReplyLength) {}
