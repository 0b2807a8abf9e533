package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Counters of an IPVS virtual server (ipvsadm -L --stats --rate). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IpvsStats(
    @JsonPropertyDescription("Connections scheduled since the service was added.") Long connections,
    @JsonPropertyDescription("Packets from clients.") Long inPackets,
    @JsonPropertyDescription("Packets to clients (NAT only).") Long outPackets,
    @JsonPropertyDescription("Bytes from clients.") Long inBytes,
    @JsonPropertyDescription("Bytes to clients (NAT only).") Long outBytes,
    @JsonPropertyDescription("Connections per second, as the kernel estimates it.")
        Long connectionsPerSecond,
    @JsonPropertyDescription("Packets per second from clients.") Long inPacketsPerSecond,
    @JsonPropertyDescription("Packets per second to clients.") Long outPacketsPerSecond,
    @JsonPropertyDescription("Bytes per second from clients.") Long inBytesPerSecond,
    @JsonPropertyDescription("Bytes per second to clients.") Long outBytesPerSecond) {}
