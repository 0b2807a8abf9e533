package io.kubelvs.agent.check;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The health-check side of one keepalived virtual_server: its real servers with their checks, and
 * what decides which of them take traffic.
 *
 * @param id an opaque name the engine chooses, unique among virtual servers (for example {@code
 *     198.18.0.50:80/TCP}); events and destinations carry it back
 * @param realServers the real servers, in the order destinations are reported
 * @param quorum quorum: the least sum of weights of healthy servers for the virtual server to be up
 *     (keepalived default 1)
 * @param hysteresis hysteresis: quorum is lost below {@code quorum - hysteresis} and regained at
 *     {@code quorum + hysteresis} (keepalived default 0)
 * @param sorryServer sorry_server and sorry_server_inhibit
 * @param omega omega: on shutdown, report the servers and the quorum as going down
 */
public record VirtualServerChecks(
    String id,
    List<RealServerCheck> realServers,
    int quorum,
    int hysteresis,
    Optional<SorryServer> sorryServer,
    boolean omega) {

  /** keepalived.conf(5): quorum "Defaults to 1". */
  public static final int DEFAULT_QUORUM = 1;

  /** keepalived.conf(5): hysteresis "Defaults to 0". */
  public static final int DEFAULT_HYSTERESIS = 0;

  public VirtualServerChecks {
    Objects.requireNonNull(id, "id");
    realServers = List.copyOf(realServers);
    sorryServer = Optional.ofNullable(sorryServer).flatMap(s -> s);
  }

  /** A virtual server with keepalived's defaults: quorum 1, hysteresis 0, no sorry server. */
  public static VirtualServerChecks of(String id, List<RealServerCheck> realServers) {
    return new VirtualServerChecks(
        id, realServers, DEFAULT_QUORUM, DEFAULT_HYSTERESIS, Optional.empty(), false);
  }

  public VirtualServerChecks withRealServers(List<RealServerCheck> newRealServers) {
    return new VirtualServerChecks(id, newRealServers, quorum, hysteresis, sorryServer, omega);
  }

  public VirtualServerChecks withQuorum(int newQuorum, int newHysteresis) {
    return new VirtualServerChecks(id, realServers, newQuorum, newHysteresis, sorryServer, omega);
  }

  public VirtualServerChecks withSorryServer(SorryServer newSorryServer) {
    return new VirtualServerChecks(
        id, realServers, quorum, hysteresis, Optional.of(newSorryServer), omega);
  }

  public VirtualServerChecks withOmega(boolean newOmega) {
    return new VirtualServerChecks(id, realServers, quorum, hysteresis, sorryServer, newOmega);
  }
}
