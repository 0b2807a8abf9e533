package io.kubelvs.agent.notify;

import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;

/**
 * One mail: the envelope (sender and recipients, as MAIL FROM and RCPT TO) and the content.
 *
 * @param from the sender [notification_email_from]
 * @param to the recipients [notification_email], one RCPT TO each and all in the To header
 * @param subject keepalived's subject line, {@code [LVS_DEVEL] VRRP Instance VI_1 - Entering MASTER
 *     state}
 * @param body the text; any line breaks, sent as CRLF
 * @param date the Date header
 * @param messageId the Message-ID header, with its angle brackets
 */
public record MailMessage(
    String from,
    List<String> to,
    String subject,
    String body,
    ZonedDateTime date,
    String messageId) {
  public MailMessage {
    Objects.requireNonNull(from, "from");
    to = List.copyOf(to);
    if (to.isEmpty()) {
      throw new IllegalArgumentException("a mail needs at least one recipient");
    }
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(messageId, "messageId");
    for (String header : List.of(from, subject, messageId)) {
      if (header.indexOf('\r') >= 0 || header.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("a header cannot contain a line break: " + header);
      }
    }
  }
}
