package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * How the real servers of a virtual service are checked: exactly one check type, and the timing
 * keepalived applies to every checker.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "[has(self.httpGet), has(self.sslGet), has(self.tcp), has(self.misc), has(self.dns),"
            + " has(self.udp), has(self.ping)].filter(x, x).size() == 1",
    message = "exactly one of httpGet, sslGet, tcp, misc, dns, udp or ping must be set")
@ValidationRule(
    value = "!has(self.httpGet) || !has(self.httpGet.tls)",
    fieldPath = ".httpGet.tls",
    message = "tls applies to sslGet only")
public record HealthCheck(
    @JsonPropertyDescription("Check with an HTTP GET request (keepalived HTTP_GET).")
        HttpCheck httpGet,
    @JsonPropertyDescription("Check with an HTTP GET request over TLS (keepalived SSL_GET).")
        HttpCheck sslGet,
    @JsonPropertyDescription("Check that a TCP connection opens (keepalived TCP_CHECK).")
        TcpCheck tcp,
    @JsonPropertyDescription("Check by running a command on the director (keepalived MISC_CHECK).")
        MiscCheck misc,
    @JsonPropertyDescription("Check with a DNS query (keepalived DNS_CHECK).") DnsCheck dns,
    @JsonPropertyDescription("Check with a UDP datagram (keepalived UDP_CHECK).") UdpCheck udp,
    @JsonPropertyDescription("Check with an ICMP echo request (keepalived PING_CHECK).")
        PingCheck ping,
    @Pattern(Patterns.DURATION)
        @Default("5s")
        @JsonPropertyDescription(
            "Time between two checks of a real server (keepalived delay_loop, whose default is"
                + " 60s).")
        String interval,
    @Pattern(Patterns.DURATION)
        @Default("5s")
        @JsonPropertyDescription(
            "How long one attempt may take to connect and answer (keepalived connect_timeout).")
        String connectTimeout,
    @Min(0)
        @Max(100)
        @Default("1")
        @JsonPropertyDescription(
            "Retries after a failed attempt, each after retryDelay, before a real server that"
                + " was up is declared down: with 3, four attempts in a row fail first (keepalived"
                + " retry; nb_get_retry in HTTP_GET and SSL_GET). A server not checked yet is down"
                + " at its first failure, as in keepalived.")
        Integer retries,
    @Pattern(Patterns.DURATION)
        @Default("1s")
        @JsonPropertyDescription(
            "Pause between a failed attempt and the next one (keepalived delay_before_retry).")
        String retryDelay,
    @Pattern(Patterns.DURATION)
        @JsonPropertyDescription(
            "Start each real server's first check after a random delay up to this long, so that"
                + " many checks never fire together; defaults to interval (keepalived warmup).")
        String warmup,
    @Default("false")
        @JsonPropertyDescription(
            "Start every real server as down until its first successful check (keepalived"
                + " alpha).")
        Boolean alpha,
    @Pattern(Patterns.IP)
        @JsonPropertyDescription(
            "Address to check instead of the real server's (keepalived connect_ip); for httpGet,"
                + " sslGet, tcp, dns and udp.")
        String connectAddress,
    @Min(1)
        @Max(65535)
        @JsonPropertyDescription(
            "Port to check instead of the real server's (keepalived connect_port); for httpGet,"
                + " sslGet, tcp, dns and udp.")
        Integer connectPort,
    @Pattern(Patterns.IP)
        @JsonPropertyDescription(
            "Source address of check traffic (keepalived bind_ip); must be on the director.")
        String bindAddress,
    @Min(1)
        @Max(65535)
        @JsonPropertyDescription("Source port of check traffic (keepalived bind_port).")
        Integer bindPort) {}
