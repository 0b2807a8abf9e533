package io.kubelvs.agent.config;

import io.kubelvs.agent.check.VirtualServerChecks;
import io.kubelvs.agent.ipvs.Forwarding;
import io.kubelvs.agent.ipvs.IpvsService;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One virtual server of the node's config, as the two cores it feeds take it: the IPVS service to
 * program (its key, scheduler, persistence and flags), how packets reach its real servers, and the
 * health checks that decide which real servers (or the sorry server) get traffic, with what weight.
 *
 * @param service the IPVS virtual service [virtual_server ADDRESS PORT, lb_algo, persistence_*]; of
 *     a group, its first member
 * @param forwarding how every real server is reached [lb_kind]
 * @param checks the real servers, their checks, quorum and sorry server; its id is {@code
 *     service.key().toString()}
 * @param groupServices the other members of its virtual_server_group [virtual_server group NAME],
 *     each an IPVS service like {@code service} with the same destinations, decided by the same
 *     checks: keepalived checks a group's real servers once for all its addresses; empty without a
 *     group
 */
public record VirtualServerConfig(
    IpvsService service,
    Forwarding forwarding,
    VirtualServerChecks checks,
    List<IpvsService> groupServices) {

  public VirtualServerConfig {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(forwarding, "forwarding");
    Objects.requireNonNull(checks, "checks");
    groupServices = List.copyOf(groupServices);
    if (!checks.id().equals(service.key().toString())) {
      throw new IllegalArgumentException(
          "checks of " + checks.id() + " given for the service " + service.key());
    }
  }

  /** A virtual server of its own, in no group. */
  public VirtualServerConfig(
      IpvsService service, Forwarding forwarding, VirtualServerChecks checks) {
    this(service, forwarding, checks, List.of());
  }

  /** {@code service}, then the other members of its group. */
  public List<IpvsService> services() {
    List<IpvsService> all = new ArrayList<>(1 + groupServices.size());
    all.add(service);
    all.addAll(groupServices);
    return List.copyOf(all);
  }
}
