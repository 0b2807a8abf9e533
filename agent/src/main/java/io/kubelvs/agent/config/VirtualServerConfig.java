package io.kubelvs.agent.config;

import io.kubelvs.agent.check.VirtualServerChecks;
import io.kubelvs.agent.ipvs.Forwarding;
import io.kubelvs.agent.ipvs.IpvsService;
import java.util.Objects;

/**
 * One virtual server of the node's config, as the two cores it feeds take it: the IPVS service to
 * program (its key, scheduler, persistence and flags), how packets reach its real servers, and the
 * health checks that decide which real servers (or the sorry server) get traffic, with what weight.
 *
 * @param service the IPVS virtual service [virtual_server ADDRESS PORT, lb_algo, persistence_*]
 * @param forwarding how every real server is reached [lb_kind]
 * @param checks the real servers, their checks, quorum and sorry server; its id is {@code
 *     service.key().toString()}
 */
public record VirtualServerConfig(
    IpvsService service, Forwarding forwarding, VirtualServerChecks checks) {

  public VirtualServerConfig {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(forwarding, "forwarding");
    Objects.requireNonNull(checks, "checks");
    if (!checks.id().equals(service.key().toString())) {
      throw new IllegalArgumentException(
          "checks of " + checks.id() + " given for the service " + service.key());
    }
  }
}
