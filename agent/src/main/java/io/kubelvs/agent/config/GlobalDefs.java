package io.kubelvs.agent.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * keepalived's {@code global_defs} as far as the agent uses them: who this director is in mail and
 * logs, and where state-change mail goes.
 *
 * @param routerId names this director in mail and logs [router_id; the host name if unset]
 * @param notificationEmails the recipients of state-change mail [notification_email]
 * @param notificationFrom the mail's sender [notification_email_from; keepalived@ROUTER_ID]
 * @param smtpServer the mail relay [smtp_server ADDRESS [PORT]; port 25]; empty for no mail
 * @param smtpConnectTimeout how long to wait for the relay [smtp_connect_timeout; 30 s]
 */
public record GlobalDefs(
    String routerId,
    List<String> notificationEmails,
    String notificationFrom,
    Optional<InetSocketAddress> smtpServer,
    Duration smtpConnectTimeout) {

  /** keepalived.conf(5): smtp_connect_timeout "default 30 seconds". */
  public static final Duration DEFAULT_SMTP_CONNECT_TIMEOUT = Duration.ofSeconds(30);

  public static final int SMTP_PORT = 25;

  public GlobalDefs {
    Objects.requireNonNull(routerId, "routerId");
    notificationEmails = List.copyOf(notificationEmails);
    Objects.requireNonNull(notificationFrom, "notificationFrom");
    Objects.requireNonNull(smtpServer, "smtpServer");
    Objects.requireNonNull(smtpConnectTimeout, "smtpConnectTimeout");
  }
}
