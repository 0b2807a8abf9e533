package io.kubelvs.operator.status;

import io.kubelvs.api.v1alpha1.RealServer;
import io.kubelvs.api.v1alpha1.RealServerHealth;
import io.kubelvs.api.v1alpha1.VirtualServer;
import io.kubelvs.api.v1alpha1.VirtualServerStatus;
import io.kubelvs.operator.plan.VirtualServiceKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The service's real servers as one director sees them: the master's when there is exactly one,
 * else the first director (by name) that reports them. Distinct by address and port, so a service
 * with two ports to the same servers counts each server port once.
 */
record Backends(int ready, int total, boolean sorryServerActive, List<RealServerHealth> health) {

  static Backends of(VirtualServiceKey key, List<DirectorView> mine, String master) {
    Map<String, RealServer> planned = new LinkedHashMap<>();
    for (DirectorView d : mine) {
      for (VirtualServer server : d.virtualServersOf(key)) {
        for (RealServer rs : DirectorView.nullToEmpty(server.realServers())) {
          planned.putIfAbsent(rs.address() + ":" + rs.port(), rs);
        }
      }
    }
    Optional<DirectorView> source =
        mine.stream()
            .filter(d -> master == null ? d.status() != null : d.node().equals(master))
            .filter(d -> d.status() != null)
            .findFirst();
    Map<String, RealServerHealth> health = new LinkedHashMap<>();
    boolean sorry = false;
    if (source.isPresent()) {
      for (VirtualServer server : source.get().virtualServersOf(key)) {
        Optional<VirtualServerStatus> status = source.get().virtualServerStatus(server.name());
        if (status.isEmpty()) {
          continue;
        }
        sorry |= Boolean.TRUE.equals(status.get().sorryServerActive());
        for (RealServerHealth rs : DirectorView.nullToEmpty(status.get().realServers())) {
          health.putIfAbsent(rs.address() + ":" + rs.port(), rs);
        }
      }
    }
    int ready =
        (int) health.values().stream().filter(r -> Boolean.TRUE.equals(r.healthy())).count();
    return new Backends(ready, planned.size(), sorry, List.copyOf(health.values()));
  }

  String down() {
    return String.join(
        ", ",
        health.stream()
            .filter(r -> !Boolean.TRUE.equals(r.healthy()))
            .map(
                r ->
                    r.address()
                        + ":"
                        + r.port()
                        + (r.lastError() == null ? "" : " (" + r.lastError() + ")"))
            .toList());
  }
}
