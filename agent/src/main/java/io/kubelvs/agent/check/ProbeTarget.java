package io.kubelvs.agent.check;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how long one attempt may take: the address to check (the real server's, or keepalived's
 * connect_ip/connect_port), the optional source address and port (bind_ip/bind_port; port 0 = any),
 * and connect_timeout, which bounds the connect and every read as in keepalived.
 */
public record ProbeTarget(
    InetSocketAddress address, Optional<InetSocketAddress> bind, Duration connectTimeout) {

  public ProbeTarget {
    Objects.requireNonNull(address, "address");
    bind = Optional.ofNullable(bind).flatMap(b -> b);
    Objects.requireNonNull(connectTimeout, "connectTimeout");
  }

  public static ProbeTarget of(InetSocketAddress address, Duration connectTimeout) {
    return new ProbeTarget(address, Optional.empty(), connectTimeout);
  }
}
