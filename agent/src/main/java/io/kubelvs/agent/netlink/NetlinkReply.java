package io.kubelvs.agent.netlink;

import java.util.List;

/**
 * What the kernel answered to one request: its reply messages (none for a plain ACK), or the error
 * it refused the request with.
 *
 * @param error the refusal, or null when the kernel acknowledged the request
 */
public record NetlinkReply(
    NetlinkRequest request, List<NetlinkMessage> messages, NetlinkException error) {
  public NetlinkReply {
    messages = List.copyOf(messages);
  }

  public boolean failed() {
    return error != null;
  }

  /** The reply messages, or the kernel's refusal thrown. */
  public List<NetlinkMessage> orThrow() {
    if (error != null) {
      throw error;
    }
    return messages;
  }
}
