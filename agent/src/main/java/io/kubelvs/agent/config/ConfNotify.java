package io.kubelvs.agent.config;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The notification keywords shared by the VRRP and the LVS readers: scripts and smtp_alert. */
final class ConfNotify {
  private ConfNotify() {}

  /** A virtual server's alerts as written, before global_defs' defaults apply. */
  record VirtualServerAlertsDraft(
      Optional<Boolean> smtpAlert,
      Optional<NotifyScript> quorumUp,
      Optional<NotifyScript> quorumDown,
      Map<InetSocketAddress, RealServerAlertsDraft> realServers) {
    VirtualServerAlertsDraft {
      realServers = Map.copyOf(realServers);
    }

    Notifications.VirtualServerAlerts resolve(SmtpAlerts defaults) {
      Map<InetSocketAddress, Notifications.RealServerAlerts> resolved = new HashMap<>();
      realServers.forEach((address, draft) -> resolved.put(address, draft.resolve(defaults)));
      return new Notifications.VirtualServerAlerts(
          defaults.virtualServer(smtpAlert), quorumUp, quorumDown, resolved);
    }
  }

  /** A real server's smtp_alert, notify_up and notify_down as written. */
  record RealServerAlertsDraft(
      Optional<Boolean> smtpAlert, Optional<NotifyScript> up, Optional<NotifyScript> down) {
    static final RealServerAlertsDraft UNSET =
        new RealServerAlertsDraft(Optional.empty(), Optional.empty(), Optional.empty());

    /** This draft with one more keyword read: smtp_alert, notify_up or notify_down. */
    RealServerAlertsDraft with(ConfNode node) throws KeepalivedConfException {
      return switch (node.keyword()) {
        case "smtp_alert" -> new RealServerAlertsDraft(Optional.of(bool(node)), up, down);
        case "notify_up" -> new RealServerAlertsDraft(smtpAlert, Optional.of(script(node)), down);
        case "notify_down" -> new RealServerAlertsDraft(smtpAlert, up, Optional.of(script(node)));
        default -> throw new IllegalArgumentException("not a real_server alert: " + node.keyword());
      };
    }

    Notifications.RealServerAlerts resolve(SmtpAlerts defaults) {
      return new Notifications.RealServerAlerts(defaults.realServer(smtpAlert), up, down);
    }
  }

  /**
   * A notify script: {@code notify_master "/path/script arg"}. keepalived reads a second word as
   * the user to run the script as, which is not supported: scripts run as the agent's user.
   */
  static NotifyScript script(ConfNode node) throws KeepalivedConfException {
    if (node.args().isEmpty()) {
      throw node.error(node.keyword() + ": expected the script to run");
    }
    if (node.args().size() > 1) {
      throw node.error(
          node.keyword()
              + ": a script user ('"
              + String.join(" ", node.args().subList(1, node.args().size()))
              + "') is not supported yet: scripts run as the agent's user; write a command with"
              + " arguments in one pair of double quotes");
    }
    try {
      return NotifyScript.parse(node.args().get(0));
    } catch (IllegalArgumentException e) {
      throw node.error(node.keyword() + ": " + e.getMessage());
    }
  }

  /**
   * keepalived's optional boolean ({@code smtp_alert}, {@code smtp_alert false}): no value is true;
   * true/on/yes and false/off/no, in lower case, as lib/parser.c {@code check_true_false} reads
   * them.
   */
  static boolean bool(ConfNode node) throws KeepalivedConfException {
    if (node.args().isEmpty()) {
      return true;
    }
    String value = node.singleArg();
    return switch (value) {
      case "true", "on", "yes" -> true;
      case "false", "off", "no" -> false;
      default ->
          throw node.error(
              node.keyword() + ": expected true or false (or no value), got '" + value + "'");
    };
  }
}
