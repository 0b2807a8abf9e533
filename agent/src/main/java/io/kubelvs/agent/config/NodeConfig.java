package io.kubelvs.agent.config;

import java.util.List;
import java.util.Objects;

/**
 * A director node's whole desired configuration, the model the engine applies whether it comes from
 * a keepalived.conf (standalone mode) or from the node's Director resource.
 *
 * @param global who the director is and where its mail goes
 * @param vrrp the VRRP instances, per interface
 * @param virtualServers the IPVS services with their real servers and checks
 * @param notifications the notify scripts and which servers send mail
 */
public record NodeConfig(
    GlobalDefs global,
    VrrpConfig vrrp,
    List<VirtualServerConfig> virtualServers,
    Notifications notifications) {
  public NodeConfig {
    Objects.requireNonNull(global, "global");
    Objects.requireNonNull(vrrp, "vrrp");
    virtualServers = List.copyOf(virtualServers);
    Objects.requireNonNull(notifications, "notifications");
  }

  /** A config without notify scripts or real-server mail. */
  public NodeConfig(GlobalDefs global, VrrpConfig vrrp, List<VirtualServerConfig> virtualServers) {
    this(global, vrrp, virtualServers, Notifications.NONE);
  }
}
