package io.kubelvs.agent.notify;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Where mail goes and how this director introduces itself there.
 *
 * @param server the relay [smtp_server]
 * @param timeout the bound on connecting and on every reply [smtp_connect_timeout]; keepalived's
 *     smtp.c uses it for every read and write of the conversation too
 * @param heloName the name in HELO [smtp_helo_name; the host name]
 */
public record SmtpRelay(InetSocketAddress server, Duration timeout, String heloName) {
  public SmtpRelay {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(heloName, "heloName");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("SMTP timeout must be positive, not " + timeout);
    }
  }

  /** {@code 127.0.0.1:25}, as the relay is named in errors and logs. */
  public String name() {
    return server.getAddress().getHostAddress() + ":" + server.getPort();
  }
}
