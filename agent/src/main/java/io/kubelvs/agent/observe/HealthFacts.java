package io.kubelvs.agent.observe;

import io.kubelvs.agent.check.HealthSnapshot;
import io.kubelvs.agent.ipvs.Endpoints;
import io.kubelvs.agent.observe.DirectorStatus.KernelService;
import io.kubelvs.agent.observe.DirectorStatus.RealServer;
import io.kubelvs.agent.observe.DirectorStatus.VirtualServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The virtual-server part of a {@link DirectorStatus}: the checker's snapshot and the kernel's. */
final class HealthFacts {
  private static final double NANOS_PER_SECOND = 1e9;

  private HealthFacts() {}

  /**
   * @param kernel the service in the kernel's table, or null
   */
  static VirtualServer virtualServer(HealthSnapshot.VirtualServer checks, KernelService kernel) {
    List<RealServer> realServers = new ArrayList<>(checks.realServers().size());
    for (HealthSnapshot.RealServer r : checks.realServers()) {
      realServers.add(
          new RealServer(
              Endpoints.format(r.address().getAddress(), r.address().getPort()),
              r.up(),
              r.weight(),
              r.lastReason(),
              r.since().toString(),
              r.lastLatency().map(HealthFacts::seconds).orElse(null),
              r.checks()));
    }
    return new VirtualServer(
        checks.id(),
        checks.quorumUp(),
        checks.sorryServerActive(),
        checks.healthyWeight(),
        checks.quorum(),
        checks.hysteresis(),
        realServers,
        kernel);
  }

  private static double seconds(Duration d) {
    return d.toNanos() / NANOS_PER_SECOND;
  }
}
