package io.kubelvs.agent.ipvs;

/** IPVS_STATS_ATTR_* counters and rates (the 64-bit set when the kernel has it). */
public record IpvsStats(
    long connections,
    long inPackets,
    long outPackets,
    long inBytes,
    long outBytes,
    long connectionsPerSecond,
    long inPacketsPerSecond,
    long outPacketsPerSecond,
    long inBytesPerSecond,
    long outBytesPerSecond) {

  public static final IpvsStats ZERO = new IpvsStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
