package io.kubelvs.agent.config;

import java.util.Optional;

/**
 * global_defs' smtp_alert defaults and how keepalived resolves an object's own smtp_alert against
 * them (vrrp_data.c for instances, check_data.c {@code validate_check_config} for virtual and real
 * servers): the object's own setting wins, then the specific global (smtp_alert_vrrp or
 * smtp_alert_checker), then the general smtp_alert, then a default that is off for instances and
 * virtual servers and on for real servers. Public because a Director's alerts resolve the same way
 * ({@code io.kubelvs.agent.kube}).
 *
 * @param all [smtp_alert]
 * @param vrrp [smtp_alert_vrrp]
 * @param checker [smtp_alert_checker]
 */
public record SmtpAlerts(Optional<Boolean> all, Optional<Boolean> vrrp, Optional<Boolean> checker) {
  /** No global smtp_alert keyword: each object's own setting, else keepalived's default. */
  public static final SmtpAlerts UNSET =
      new SmtpAlerts(Optional.empty(), Optional.empty(), Optional.empty());

  public boolean instance(Optional<Boolean> own) {
    return own.or(() -> vrrp).or(() -> all).orElse(false);
  }

  public boolean virtualServer(Optional<Boolean> own) {
    return own.or(() -> checker).or(() -> all).orElse(false);
  }

  /** On when nothing says otherwise: keepalived keeps this for backwards compatibility. */
  public boolean realServer(Optional<Boolean> own) {
    return own.or(() -> checker).or(() -> all).orElse(true);
  }
}
