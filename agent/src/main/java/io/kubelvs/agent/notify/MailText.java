package io.kubelvs.agent.notify;

import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The text of a mail as it goes after DATA (RFC 5321 §4.5.2, RFC 5322): headers, a blank line, the
 * body, every line ended by CRLF, and every line that starts with a dot doubled ("dot-stuffing") so
 * that none of them ends the data early. The final {@code .} line is the client's business.
 *
 * <p>keepalived's smtp.c writes Date, From, Subject, X-Mailer and To; Message-ID is added here, as
 * RFC 5322 §3.6.4 asks of every message.
 */
final class MailText {
  /** keepalived's strftime "%a, %d %b %Y %H:%M:%S %z", which is RFC 5322's date-time. */
  static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US);

  static final String MAILER = "kubelvs (keepalived-compatible)";

  private MailText() {}

  /** The data of {@code message}, dot-stuffed, ending with CRLF. */
  static String render(MailMessage message) {
    StringBuilder text = new StringBuilder();
    header(text, "Date", DATE.format(message.date()));
    header(text, "From", message.from());
    header(text, "Subject", message.subject());
    header(text, "X-Mailer", MAILER);
    header(text, "To", String.join(", ", message.to()));
    header(text, "Message-ID", message.messageId());
    text.append("\r\n");
    for (String line : message.body().split("\r\n|\r|\n", -1)) {
      if (line.startsWith(".")) {
        text.append('.');
      }
      text.append(line).append("\r\n");
    }
    return text.toString();
  }

  private static void header(StringBuilder text, String name, String value) {
    text.append(name).append(": ").append(value).append("\r\n");
  }
}
