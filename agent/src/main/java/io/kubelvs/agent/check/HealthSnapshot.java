package io.kubelvs.agent.check;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the health checker knows at one moment, for status: immutable, safe to keep. */
public record HealthSnapshot(List<VirtualServer> virtualServers) {

  public HealthSnapshot {
    virtualServers = List.copyOf(virtualServers);
  }

  /** The virtual server with {@code id}, if it is configured. */
  public Optional<VirtualServer> virtualServer(String id) {
    return virtualServers.stream().filter(v -> v.id().equals(id)).findFirst();
  }

  /**
   * One virtual server.
   *
   * @param healthyWeight the sum of the weights of the real servers that are up
   * @param quorum the quorum in effect (keepalived lowers one above the total weight)
   * @param hysteresis the hysteresis in effect
   * @param sorryServerActive whether the sorry server takes the traffic
   */
  public record VirtualServer(
      String id,
      boolean quorumUp,
      boolean sorryServerActive,
      long healthyWeight,
      int quorum,
      int hysteresis,
      List<RealServer> realServers) {

    public VirtualServer {
      realServers = List.copyOf(realServers);
    }

    /** The real server at {@code address}, if it is configured. */
    public Optional<RealServer> realServer(InetSocketAddress address) {
      return realServers.stream().filter(r -> r.address().equals(address)).findFirst();
    }
  }

  /**
   * One real server.
   *
   * @param up whether it is considered healthy
   * @param weight its weight when up: the configured one, or the one its check decided
   * @param lastReason what the last completed check said, or why the state is what it is
   * @param since when the current up/down state began
   * @param lastLatency how long the last completed check took
   * @param checks how many checks completed since it started
   */
  public record RealServer(
      InetSocketAddress address,
      boolean up,
      int weight,
      String lastReason,
      Instant since,
      Optional<Duration> lastLatency,
      long checks) {}
}
