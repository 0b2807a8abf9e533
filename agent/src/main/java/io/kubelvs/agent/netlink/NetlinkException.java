package io.kubelvs.agent.netlink;

import java.util.Optional;

/**
 * A netlink operation failed: the kernel refused a request (NLMSG_ERROR), or the socket call
 * underneath failed. The message names the operation and the object as the caller described them,
 * the errno by name and text, and the kernel's own explanation when it sent one, e.g. {@code
 * RTM_NEWADDR 198.18.0.50/32 on eth0: EEXIST (File exists)}.
 */
public class NetlinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final int errno;
  private final String kernelMessage;

  /** A refusal by the kernel; {@code kernelMessage} is its extended ACK text, or null. */
  public NetlinkException(String operation, int errno, String kernelMessage) {
    this(operation, errno, kernelMessage, null);
  }

  /**
   * A failure with an explanation of our own ({@code detail}), appended after the errno: for local
   * conditions such as a timeout or a dropped reply, and for hints the caller can act on.
   */
  public NetlinkException(String operation, int errno, String kernelMessage, String detail) {
    super(format(operation, errno, kernelMessage, detail));
    this.operation = operation;
    this.errno = errno;
    this.kernelMessage = kernelMessage;
  }

  private static String format(String operation, int errno, String kernelMessage, String detail) {
    StringBuilder message = new StringBuilder(operation).append(": ").append(Errno.describe(errno));
    if (kernelMessage != null && !kernelMessage.isEmpty()) {
      message.append("; kernel says: ").append(kernelMessage);
    }
    if (detail != null && !detail.isEmpty()) {
      message.append("; ").append(detail);
    }
    return message.toString();
  }

  /** What was being done to what, as the caller described it. */
  public String operation() {
    return operation;
  }

  /** The positive errno value, e.g. 17 for EEXIST. */
  public int errno() {
    return errno;
  }

  /** The errno's symbolic name, e.g. {@code EEXIST}, or {@code errno 133} for one not named. */
  public String errnoName() {
    return Errno.of(errno).map(Enum::name).orElse("errno " + errno);
  }

  public boolean is(Errno expected) {
    return errno == expected.code();
  }

  /** The kernel's extended-ACK message (NLMSGERR_ATTR_MSG), when it sent one. */
  public Optional<String> kernelMessage() {
    return Optional.ofNullable(kernelMessage);
  }
}
