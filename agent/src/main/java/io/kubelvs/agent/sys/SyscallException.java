package io.kubelvs.agent.sys;

import io.kubelvs.agent.netlink.Errno;

/**
 * A socket call refused: the message names the call, the socket and the object as the caller
 * described them, and the errno by name and text, e.g. {@code setsockopt(IP_ADD_MEMBERSHIP
 * 224.0.100.99 on v0): ENODEV (No such device)}.
 */
public class SyscallException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final int errno;

  public SyscallException(String operation, int errno) {
    this(operation, errno, null);
  }

  /**
   * With an explanation of our own ({@code detail}) after the errno, for hints an operator can act
   * on.
   */
  public SyscallException(String operation, int errno, String detail) {
    super(
        operation
            + ": "
            + Errno.describe(errno)
            + (detail == null || detail.isEmpty() ? "" : "; " + detail));
    this.operation = operation;
    this.errno = errno;
  }

  /** What was being done to what, e.g. {@code sendto(20-byte datagram to 224.0.0.18 on v0)}. */
  public String operation() {
    return operation;
  }

  /** The positive errno value. */
  public int errno() {
    return errno;
  }

  /** The errno's symbolic name, e.g. {@code ENODEV}, or {@code errno 133} for one not named. */
  public String errnoName() {
    return Errno.of(errno).map(Enum::name).orElse("errno " + errno);
  }

  public boolean is(Errno expected) {
    return errno == expected.code();
  }
}
