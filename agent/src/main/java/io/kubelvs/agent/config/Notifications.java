package io.kubelvs.agent.config;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who hears of the director's events besides its log: the notify scripts of the VRRP instances and
 * real servers, and which real servers and virtual servers send mail. Where the mail goes (relay,
 * sender, recipients) is {@link GlobalDefs}; which VRRP instances mail is {@link
 * VrrpConfig#smtpAlert()}. Every smtp_alert here is already resolved against global_defs, as
 * keepalived's check_data.c and vrrp_data.c do before they start (see {@link
 * RealServerAlerts#smtpAlert()} for the surprising default).
 *
 * @param smtpHeloName the name in the HELO command [smtp_helo_name; the host name]
 * @param mailFaults whether a VRRP instance entering FAULT sends mail [no_email_faults turns it
 *     off]
 * @param instances the notify scripts of each VRRP instance, by instance name; instances without
 *     any are absent
 * @param virtualServers the alerts of each virtual server, by its id ({@code
 *     service.key().toString()}, as {@link VirtualServerConfig})
 */
public record Notifications(
    String smtpHeloName,
    boolean mailFaults,
    Map<String, InstanceScripts> instances,
    Map<String, VirtualServerAlerts> virtualServers) {

  /** Nothing configured: no scripts, no real-server mail. */
  public static final Notifications NONE = new Notifications("localhost", true, Map.of(), Map.of());

  public Notifications {
    Objects.requireNonNull(smtpHeloName, "smtpHeloName");
    instances = Map.copyOf(instances);
    virtualServers = Map.copyOf(virtualServers);
  }

  /** The scripts of a VRRP instance; none if it has none. */
  public InstanceScripts instance(String name) {
    return instances.getOrDefault(name, InstanceScripts.NONE);
  }

  /**
   * A VRRP instance's scripts [notify_master, notify_backup, notify_fault, notify_stop, notify].
   * The state scripts get no arguments; the generic one gets {@code INSTANCE name state priority}.
   */
  public record InstanceScripts(
      Optional<NotifyScript> master,
      Optional<NotifyScript> backup,
      Optional<NotifyScript> fault,
      Optional<NotifyScript> stop,
      Optional<NotifyScript> generic) {
    public static final InstanceScripts NONE =
        new InstanceScripts(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    public InstanceScripts {
      Objects.requireNonNull(master, "master");
      Objects.requireNonNull(backup, "backup");
      Objects.requireNonNull(fault, "fault");
      Objects.requireNonNull(stop, "stop");
      Objects.requireNonNull(generic, "generic");
    }
  }

  /**
   * @param smtpAlert whether quorum changes are mailed [virtual_server smtp_alert; else global
   *     smtp_alert_checker, else smtp_alert, else off]
   * @param quorumUp run when the healthy real servers' weight reaches the quorum again [quorum_up],
   *     without arguments
   * @param quorumDown run when it falls below the quorum [quorum_down], without arguments
   * @param realServers the real servers' alerts, by address
   */
  public record VirtualServerAlerts(
      boolean smtpAlert,
      Optional<NotifyScript> quorumUp,
      Optional<NotifyScript> quorumDown,
      Map<InetSocketAddress, RealServerAlerts> realServers) {
    public VirtualServerAlerts {
      Objects.requireNonNull(quorumUp, "quorumUp");
      Objects.requireNonNull(quorumDown, "quorumDown");
      realServers = Map.copyOf(realServers);
    }
  }

  /**
   * @param smtpAlert whether up and down are mailed [real_server smtp_alert; else global
   *     smtp_alert_checker, else smtp_alert, else <em>on</em>: keepalived's check_data.c keeps
   *     real-server mail on by default "to maintain backwards compatibility", unlike every other
   *     smtp_alert]
   * @param up run when the real server comes up [notify_up], without arguments
   * @param down run when it goes down [notify_down], without arguments
   */
  public record RealServerAlerts(
      boolean smtpAlert, Optional<NotifyScript> up, Optional<NotifyScript> down) {
    public RealServerAlerts {
      Objects.requireNonNull(up, "up");
      Objects.requireNonNull(down, "down");
    }
  }
}
