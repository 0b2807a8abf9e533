package io.kubelvs.agent.vrrp;

/**
 * A received datagram that is not a valid VRRP advertisement. The message names the field, its
 * offset and the value found, so a dropped packet is diagnosable from one log line; {@link
 * #reason()} is what the drop is counted under.
 *
 * <p>No stack trace is recorded: a drop is an outcome of the receive path, not a bug, and a flood
 * of bad packets must not cost a stack walk each.
 */
public final class VrrpDecodeException extends Exception {
  private static final long serialVersionUID = 1L;

  private final DropReason reason;

  public VrrpDecodeException(DropReason reason, String message) {
    super(reason + ": " + message, null, false, false);
    this.reason = reason;
  }

  public DropReason reason() {
    return reason;
  }
}
