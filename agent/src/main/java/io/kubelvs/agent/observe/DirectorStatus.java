package io.kubelvs.agent.observe;

import java.util.List;
import java.util.Map;

/**
 * What a director knows about itself at one moment: the facts {@code GET /status} serves as JSON
 * and {@code GET /metrics} as Prometheus series. Immutable; the component names are the JSON field
 * names. Times are ISO-8601 text (UTC), durations seconds; a field the director does not know is
 * null.
 *
 * @param time when it was gathered
 * @param vrrpInstances every configured VRRP instance
 * @param vrrpInterfaces per interface, the adverts dropped before their VRID was known
 * @param virtualServers every configured virtual server, its checks and its kernel counters
 * @param reconcileFailure why the last IPVS reconcile failed (it is being retried), or null
 * @param sources whether each source of these facts could be read
 */
public record DirectorStatus(
    String time,
    List<VrrpInstance> vrrpInstances,
    List<VrrpInterface> vrrpInterfaces,
    List<VirtualServer> virtualServers,
    String reconcileFailure,
    List<Source> sources) {

  public DirectorStatus {
    vrrpInstances = List.copyOf(vrrpInstances);
    vrrpInterfaces = List.copyOf(vrrpInterfaces);
    virtualServers = List.copyOf(virtualServers);
    sources = List.copyOf(sources);
  }

  /**
   * One VRRP instance.
   *
   * @param state INIT, BACKUP, MASTER, FAULT or STOPPED
   * @param since when the instance entered {@code state}; null before this agent saw it change
   * @param reason why it entered {@code state}; null as {@code since}
   * @param priority the effective priority (tracking may have changed the configured one)
   * @param dropped adverts dropped by reason, every reason that applies to an instance listed
   * @param transitions state changes since the agent started, by the state entered
   * @param counters every counter of the instance (keepalived's statistics), by name
   */
  public record VrrpInstance(
      String name,
      String interfaceName,
      int vrid,
      String state,
      String since,
      String reason,
      int priority,
      int configuredPriority,
      long advertsSent,
      long advertsReceived,
      Map<String, Long> dropped,
      Map<String, Long> transitions,
      Map<String, Long> counters) {}

  /** The adverts an interface dropped before their VRID was known, by reason. */
  public record VrrpInterface(String interfaceName, Map<String, Long> dropped) {}

  /**
   * One virtual server, named as the agent names it everywhere ({@code 198.18.0.50:80/TCP}).
   *
   * @param healthyWeight the sum of the weights of the real servers that are up
   * @param kernel the kernel's counters of the service; null when it is not in the kernel's table
   *     or the table could not be read
   */
  public record VirtualServer(
      String id,
      boolean quorumUp,
      boolean sorryServerActive,
      long healthyWeight,
      int quorum,
      int hysteresis,
      List<RealServer> realServers,
      KernelService kernel) {

    public VirtualServer {
      realServers = List.copyOf(realServers);
    }
  }

  /**
   * One real server as its checks see it.
   *
   * @param address {@code 198.18.0.101:80}
   * @param lastResult what the last completed check said ("HTTP 200", "connect timeout 1s"), or why
   *     the state is what it is
   * @param since when the current up/down state began
   * @param lastLatencySeconds how long the last completed check took; null before the first
   * @param checks how many checks completed
   */
  public record RealServer(
      String address,
      boolean up,
      int weight,
      String lastResult,
      String since,
      Double lastLatencySeconds,
      long checks) {}

  /** A virtual server's service in the kernel's IPVS table, with its destinations. */
  public record KernelService(
      String scheduler, IpvsCounters stats, List<KernelDestination> destinations) {

    public KernelService {
      destinations = List.copyOf(destinations);
    }
  }

  /**
   * One destination of a service in the kernel: a real server or the sorry server.
   *
   * @param forwarding NAT, DR, TUN or LOCAL, as the kernel reports it
   * @param activeConnections connections in ESTABLISHED (ipvsadm's ActiveConn)
   * @param inactiveConnections connections in other states (ipvsadm's InActConn)
   */
  public record KernelDestination(
      String address,
      String forwarding,
      int weight,
      long activeConnections,
      long inactiveConnections,
      IpvsCounters stats) {}

  /** The kernel's running totals of a service or destination (ipvsadm -L --stats). */
  public record IpvsCounters(
      long connections, long inPackets, long outPackets, long inBytes, long outBytes) {}

  /**
   * A source of facts: "health" (the checker) or "ipvs" (the kernel's table).
   *
   * @param ok whether it was read this time
   * @param errors how many reads failed since the agent started
   * @param lastError why the last read failed; null once one succeeds
   */
  public record Source(String name, boolean ok, long errors, String lastError) {}
}
