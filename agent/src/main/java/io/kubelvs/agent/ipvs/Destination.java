package io.kubelvs.agent.ipvs;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One real server of a virtual service (ipvsadm -a/-e). The tunnel fields matter for TUN only.
 *
 * @param upperThreshold stop scheduling above this many connections; 0 means no limit
 * @param lowerThreshold resume below this many connections
 */
public record Destination(
    InetAddress address,
    int port,
    Forwarding forwarding,
    int weight,
    long upperThreshold,
    long lowerThreshold,
    TunnelType tunnelType,
    int tunnelPort,
    int tunnelFlags) {

  public Destination {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(forwarding, "forwarding");
    Objects.requireNonNull(tunnelType, "tunnelType");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 0-65535");
    }
    if (weight < 0) {
      throw new IllegalArgumentException("weight " + weight + " is negative");
    }
  }

  public static Destination of(InetAddress address, int port, Forwarding forwarding, int weight) {
    return new Destination(address, port, forwarding, weight, 0, 0, TunnelType.IPIP, 0, 0);
  }

  public DestinationKey key() {
    return new DestinationKey(address, port);
  }

  public Destination withWeight(int newWeight) {
    return new Destination(
        address,
        port,
        forwarding,
        newWeight,
        upperThreshold,
        lowerThreshold,
        tunnelType,
        tunnelPort,
        tunnelFlags);
  }

  @Override
  public String toString() {
    return Endpoints.format(address, port) + " " + forwarding + " weight " + weight;
  }
}
