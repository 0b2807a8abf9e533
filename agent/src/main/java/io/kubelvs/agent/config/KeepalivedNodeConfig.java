package io.kubelvs.agent.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a whole keepalived.conf into a {@link NodeConfig}: global_defs, the VRRP instances and the
 * virtual servers, every problem of every part reported together: unknown top-level keywords first,
 * then those of global_defs and the VRRP instances, then those of the virtual servers, each part in
 * file order. A top-level keyword this reader does not take is a problem, never skipped.
 */
public final class KeepalivedNodeConfig {
  /** The top-level blocks the part readers take, refused ones included so they name them. */
  private static final Set<String> TOP_LEVEL =
      Set.of(
          "global_defs",
          "vrrp_instance",
          "vrrp_sync_group",
          "vrrp_script",
          "vrrp_track_file",
          "virtual_server",
          "virtual_server_group");

  private KeepalivedNodeConfig() {}

  /**
   * @param hostName router_id when global_defs has none, as in keepalived
   * @throws KeepalivedConfException with every problem found
   */
  public static NodeConfig read(KeepalivedConf conf, String hostName)
      throws KeepalivedConfException {
    List<ConfProblem> problems = new ArrayList<>();
    for (ConfNode statement : conf.root().children()) {
      if (!TOP_LEVEL.contains(statement.keyword())) {
        problems.add(statement.unknownKeyword());
      }
    }
    KeepalivedVrrp.Parts vrrp = null;
    KeepalivedVirtualServers.Parts virtualServers = null;
    try {
      vrrp = KeepalivedVrrp.read(conf, hostName);
    } catch (KeepalivedConfException e) {
      problems.addAll(e.problems());
    }
    try {
      virtualServers = KeepalivedVirtualServers.readParts(conf);
    } catch (KeepalivedConfException e) {
      problems.addAll(e.problems());
    }
    if (!problems.isEmpty()) {
      throw new KeepalivedConfException(problems);
    }
    return new NodeConfig(
        vrrp.global(),
        vrrp.vrrp(),
        virtualServers.virtualServers(),
        notifications(vrrp, virtualServers));
  }

  private static Notifications notifications(
      KeepalivedVrrp.Parts vrrp, KeepalivedVirtualServers.Parts virtualServers) {
    Map<String, Notifications.VirtualServerAlerts> alerts = new HashMap<>();
    virtualServers.alerts().forEach((id, draft) -> alerts.put(id, draft.resolve(vrrp.alerts())));
    return new Notifications(vrrp.smtpHeloName(), vrrp.mailFaults(), vrrp.scripts(), alerts);
  }
}
