package io.kubelvs.agent.ipvs;

import java.net.InetAddress;

/** What identifies a destination within its service: address and port. */
public record DestinationKey(InetAddress address, int port) {
  @Override
  public String toString() {
    return Endpoints.format(address, port);
  }
}
