package io.kubelvs.agent.notify;

import io.kubelvs.agent.ipvs.ServiceKey;
import io.kubelvs.agent.vrrp.VrrpRole;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * The subjects and bodies of keepalived's mail, word for word, so that filters and habits built on
 * keepalived's mail keep working.
 *
 * <ul>
 *   <li>core/smtp.c {@code smtp_alert}: {@code [ROUTER_ID] VRRP Instance NAME - SUBJECT}, {@code
 *       [ROUTER_ID] Realserver RS of virtual server VS - UP|DOWN}, {@code [ROUTER_ID] Virtualserver
 *       VS - UP|DOWN}, with RS and VS as check_data.c's format_rs/format_vs write them: {@code
 *       [172.16.53.101]:tcp:80}, {@code FWM 1}.
 *   <li>vrrp/vrrp_notify.c {@code vrrp_smtp_notifier}: "Entering MASTER state" and "=> VRRP
 *       Instance is now owning VRRP VIPs <=", and so on for BACKUP, FAULT and "Stopping".
 *   <li>the checkers (check_http.c, check_tcp.c, ...): "=> TCP CHECK succeed on service <=" and its
 *       kin; check/ipwrapper.c: "=> Removing <=", "=> Shutting down <=", "=> Gained quorum Q+H=T <=
 *       W <=".
 * </ul>
 */
final class KeepalivedMail {
  private KeepalivedMail() {}

  /** A subject and a body. */
  record Text(String subject, String body) {}

  /** keepalived's name of a state in mail and scripts; empty for INIT, which it never reports. */
  static Optional<String> state(VrrpRole role) {
    return switch (role) {
      case MASTER -> Optional.of("MASTER");
      case BACKUP -> Optional.of("BACKUP");
      case FAULT -> Optional.of("FAULT");
      case STOPPED -> Optional.of("STOP");
      case INIT -> Optional.empty();
    };
  }

  static Text vrrp(String routerId, String instance, VrrpRole to) {
    String prefix = "[" + routerId + "] VRRP Instance " + instance + " - ";
    return switch (to) {
      case MASTER ->
          new Text(prefix + "Entering MASTER state", "=> VRRP Instance is now owning VRRP VIPs <=");
      case BACKUP ->
          new Text(
              prefix + "Entering BACKUP state",
              "=> VRRP Instance is no longer owning VRRP VIPs <=");
      case FAULT ->
          new Text(
              prefix + "Entering FAULT state", "=> VRRP Instance is no longer owning VRRP VIPs <=");
      case STOPPED -> new Text(prefix + "Stopping", "=> VRRP Instance stopping <=");
      case INIT -> throw new IllegalArgumentException("keepalived mails no INIT state");
    };
  }

  /**
   * A real server's mail.
   *
   * @param checker the checker's keepalived name (TCP_CHECK, ...), empty for none
   * @param body keepalived's line for a removal or shutdown, else empty for the checker's own
   * @param reason what our checker said, added under keepalived's line for a server going down
   */
  static Text realServer(
      String routerId,
      ServiceKey service,
      InetSocketAddress realServer,
      boolean up,
      Optional<String> checker,
      Optional<String> body,
      String reason) {
    String subject =
        "["
            + routerId
            + "] Realserver "
            + realServer(service, realServer)
            + " of virtual server "
            + virtualServer(service)
            + " - "
            + (up ? "UP" : "DOWN");
    String text = body.orElseGet(() -> checkerLine(checker.orElse(""), up));
    if (!up && body.isEmpty() && !reason.isEmpty()) {
      text = text + "\n\nreason: " + reason;
    }
    return new Text(subject, text);
  }

  static Text quorum(
      String routerId, ServiceKey service, boolean up, int quorum, int hysteresis, long weight) {
    long threshold = up ? quorum + (long) hysteresis : quorum - (long) hysteresis;
    return new Text(
        "[" + routerId + "] Virtualserver " + virtualServer(service) + " - " + (up ? "UP" : "DOWN"),
        "=> "
            + (up ? "Gained quorum " : "Lost quorum ")
            + quorum
            + "+"
            + hysteresis
            + "="
            + threshold
            + " <= "
            + weight
            + " <=");
  }

  /** check_data.c format_vs: {@code [172.16.53.50]:tcp:80}, or {@code FWM 1}. */
  static String virtualServer(ServiceKey service) {
    if (service instanceof ServiceKey.Address a) {
      return "["
          + a.address().getHostAddress()
          + "]:"
          + a.protocol().name().toLowerCase(Locale.ROOT)
          + ":"
          + a.port();
    }
    return "FWM " + ((ServiceKey.Fwmark) service).mark();
  }

  /** check_data.c format_rs: the real server with its service's protocol ("none" for fwmark). */
  static String realServer(ServiceKey service, InetSocketAddress realServer) {
    String protocol =
        service instanceof ServiceKey.Address a
            ? a.protocol().name().toLowerCase(Locale.ROOT)
            : "none";
    return "["
        + realServer.getAddress().getHostAddress()
        + "]:"
        + protocol
        + ":"
        + realServer.getPort();
  }

  private static String checkerLine(String checker, boolean up) {
    return switch (checker) {
      case "TCP_CHECK" ->
          up ? "=> TCP CHECK succeed on service <=" : "=> TCP CHECK failed on service <=";
      case "MISC_CHECK" ->
          up ? "=> MISC CHECK succeed on service <=" : "=> MISC CHECK failed on service <=";
      case "DNS_CHECK" ->
          up ? "=> DNS_CHECK: succeed on service <=" : "=> DNS_CHECK: failed on service <=";
      case "UDP_CHECK" ->
          up ? "=> UDP CHECK succeed on service <=" : "=> UDP CHECK failed on service <=";
      case "PING_CHECK" ->
          up ? "=> ICMP CHECK succeed on service <=" : "=> ICMP CHECK failed on service <=";
      default ->
          up
              ? "=> CHECK succeed on service <="
              : "=> CHECK failed on service : HTTP request failed <=";
    };
  }
}
