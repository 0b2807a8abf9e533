package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * Gratuitous ARPs (IPv4) and unsolicited neighbour advertisements (IPv6) a new master sends so that
 * switches and neighbours learn where the VIPs went.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GratuitousArp(
    @Min(1)
        @Max(255)
        @Default("5")
        @JsonPropertyDescription(
            "How many to send back to back on becoming master, and again after masterDelay"
                + " (keepalived garp_master_repeat).")
        Integer masterRepeat,
    @Pattern(Patterns.DURATION)
        @Default("5s")
        @JsonPropertyDescription(
            "Delay of the second burst after becoming master; 0s sends none (keepalived"
                + " garp_master_delay).")
        String masterDelay,
    @Pattern(Patterns.DURATION)
        @JsonPropertyDescription(
            "While master, repeat them this often; unset means never (keepalived"
                + " garp_master_refresh).")
        String masterRefresh,
    @Min(1)
        @Max(255)
        @Default("1")
        @JsonPropertyDescription(
            "How many to send at each refresh (keepalived garp_master_refresh_repeat).")
        Integer masterRefreshRepeat,
    @Pattern(Patterns.DURATION)
        @Default("0s")
        @JsonPropertyDescription(
            "Pause between two messages of one burst (keepalived garp_interval).")
        String interval) {}
