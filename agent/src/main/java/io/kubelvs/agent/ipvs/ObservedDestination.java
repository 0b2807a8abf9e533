package io.kubelvs.agent.ipvs;

/** A destination as the kernel reports it, with its connection counts and counters. */
public record ObservedDestination(
    Destination destination,
    long activeConnections,
    long inactiveConnections,
    long persistentConnections,
    IpvsStats stats) {}
