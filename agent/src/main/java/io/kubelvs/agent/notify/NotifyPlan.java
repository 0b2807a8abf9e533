package io.kubelvs.agent.notify;

import io.kubelvs.agent.check.CheckMethod;
import io.kubelvs.agent.check.RealServerCheck;
import io.kubelvs.agent.config.GlobalDefs;
import io.kubelvs.agent.config.NodeConfig;
import io.kubelvs.agent.config.Notifications;
import io.kubelvs.agent.config.NotifyScript;
import io.kubelvs.agent.config.VirtualServerConfig;
import io.kubelvs.agent.vrrp.VrrpInstanceConfig;
import io.kubelvs.agent.vrrp.VrrpRunnerConfig;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One node config as the notifier reads it: by instance name and by virtual server id, with the
 * relay to mail through.
 */
record NotifyPlan(
    GlobalDefs global,
    Notifications notifications,
    Set<String> mailedInstances,
    Map<String, Integer> priorities,
    Map<String, VirtualServerConfig> virtualServers) {

  static NotifyPlan of(NodeConfig config) {
    Map<String, Integer> priorities = new HashMap<>();
    for (VrrpRunnerConfig runner : config.vrrp().runners()) {
      for (VrrpInstanceConfig instance : runner.instances()) {
        priorities.put(instance.name(), instance.priority());
      }
    }
    Map<String, VirtualServerConfig> virtualServers = new HashMap<>();
    for (VirtualServerConfig vs : config.virtualServers()) {
      virtualServers.put(vs.checks().id(), vs);
    }
    return new NotifyPlan(
        config.global(),
        config.notifications(),
        Set.copyOf(config.vrrp().smtpAlert()),
        Map.copyOf(priorities),
        Map.copyOf(virtualServers));
  }

  boolean hasInstance(String name) {
    return priorities.containsKey(name);
  }

  /** The configured priority, what keepalived passes the generic script (no tracking here). */
  int priority(String instance) {
    return priorities.getOrDefault(instance, 0);
  }

  /** Where mail goes: keepalived mails only with both smtp_server and a recipient. */
  Optional<SmtpRelay> relay() {
    if (global.notificationEmails().isEmpty()) {
      return Optional.empty();
    }
    return global
        .smtpServer()
        .map(
            server ->
                new SmtpRelay(server, global.smtpConnectTimeout(), notifications.smtpHeloName()));
  }

  Optional<VirtualServerConfig> virtualServer(String id) {
    return Optional.ofNullable(virtualServers.get(id));
  }

  /** A real server's scripts and smtp_alert; nothing for one this config does not know. */
  Notifications.RealServerAlerts alerts(String virtualServer, InetSocketAddress realServer) {
    Notifications.VirtualServerAlerts vs = notifications.virtualServers().get(virtualServer);
    Notifications.RealServerAlerts none =
        new Notifications.RealServerAlerts(false, Optional.empty(), Optional.empty());
    return vs == null ? none : vs.realServers().getOrDefault(realServer, none);
  }

  /** The virtual server's quorum_up or quorum_down script, if it has one. */
  Optional<NotifyScript> quorumScript(String virtualServer, boolean up) {
    Notifications.VirtualServerAlerts vs = notifications.virtualServers().get(virtualServer);
    return vs == null ? Optional.empty() : up ? vs.quorumUp() : vs.quorumDown();
  }

  boolean mailsQuorum(String virtualServer) {
    Notifications.VirtualServerAlerts vs = notifications.virtualServers().get(virtualServer);
    return vs != null && vs.smtpAlert();
  }

  /** The keepalived name of the real server's checker (TCP_CHECK, ...), if it has one. */
  Optional<String> checker(String virtualServer, InetSocketAddress realServer) {
    return virtualServer(virtualServer)
        .flatMap(
            vs ->
                vs.checks().realServers().stream()
                    .filter(rs -> rs.realServer().equals(realServer))
                    .findFirst())
        .flatMap(RealServerCheck::check)
        .map(CheckMethod::keepalivedName);
  }
}
