package io.kubelvs.agent.netlink;

import java.util.Objects;

/**
 * A message to send and what it does, in words an operator understands, e.g. {@code RTM_NEWADDR
 * 198.18.0.50/32 on eth0}; errors about it start with that description.
 */
public record NetlinkRequest(NetlinkMessage message, String description) {
  public NetlinkRequest {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(description, "description");
  }
}
