package io.kubelvs.agent.check;

import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one virtual server's destination table should hold now, as the checks decided: each real
 * server that takes traffic with its weight, inhibited ones (inhibit_on_failure,
 * sorry_server_inhibit) with weight 0, and the sorry server while it is active. A virtual server
 * that was removed from the configuration is reported once with no destinations.
 *
 * @param virtualServer the id of {@link VirtualServerChecks}
 * @param destinations destination to weight, real servers in configuration order, then the sorry
 *     server
 * @param quorumUp whether the healthy weight reaches the quorum
 * @param sorryServer the sorry server while it takes the traffic
 */
public record DesiredDestinations(
    String virtualServer,
    Map<InetSocketAddress, Integer> destinations,
    boolean quorumUp,
    Optional<InetSocketAddress> sorryServer) {

  public DesiredDestinations {
    Objects.requireNonNull(virtualServer, "virtualServer");
    destinations = Collections.unmodifiableMap(new LinkedHashMap<>(destinations));
    sorryServer = Optional.ofNullable(sorryServer).flatMap(s -> s);
  }

  /** Whether the sorry server takes the traffic (quorum lost and a sorry server configured). */
  public boolean sorryServerActive() {
    return sorryServer.isPresent();
  }
}
