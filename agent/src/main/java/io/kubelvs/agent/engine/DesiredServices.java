package io.kubelvs.agent.engine;

import io.kubelvs.agent.check.DesiredDestinations;
import io.kubelvs.agent.config.VirtualServerConfig;
import io.kubelvs.agent.ipvs.DesiredService;
import io.kubelvs.agent.ipvs.Destination;
import io.kubelvs.agent.ipvs.IpvsService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The IPVS table the node should have: each configured virtual server's service, with the
 * destinations and weights its health checks decided last. A pure function of the configuration and
 * the checker core's latest {@link DesiredDestinations} per virtual server; the engine hands the
 * result to the IPVS reconciler whenever either changes.
 *
 * <p>Every destination, the sorry server included, is reached by the virtual server's lb_kind, as
 * in keepalived; the kernel keeps the method it is given even for an address of the director itself
 * (Debian's 6.1 kernel lists the seed's 127.0.0.1 sorry server as "Route" under DR).
 */
public final class DesiredServices {
  private DesiredServices() {}

  /**
   * @param virtualServers the node's virtual servers, in configuration order
   * @param decisions the checker's latest decision per virtual server id; a virtual server without
   *     one yet (the checker reports each at once when it is applied) gets its service with no
   *     destinations, which sends nothing anywhere rather than to unchecked servers
   */
  public static List<DesiredService> of(
      List<VirtualServerConfig> virtualServers, Map<String, DesiredDestinations> decisions) {
    List<DesiredService> services = new ArrayList<>(virtualServers.size());
    for (VirtualServerConfig vs : virtualServers) {
      DesiredDestinations decided = decisions.get(vs.checks().id());
      List<Destination> destinations = new ArrayList<>();
      if (decided != null) {
        decided
            .destinations()
            .forEach(
                (address, weight) ->
                    destinations.add(
                        Destination.of(
                            address.getAddress(), address.getPort(), vs.forwarding(), weight)));
      }
      // A virtual_server_group's members all get what its one set of checks decided.
      for (IpvsService service : vs.services()) {
        services.add(new DesiredService(service, destinations));
      }
    }
    return List.copyOf(services);
  }
}
