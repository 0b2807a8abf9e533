package io.kubelvs.agent.ipvs;

/** A service as the kernel reports it, with its counters. */
public record ObservedService(IpvsService service, IpvsStats stats) {}
