package io.kubelvs.agent.netlink;

/**
 * Bytes that do not parse as netlink: a truncated or corrupt message or attribute, or an attribute
 * whose value has the wrong size for the type it is read as. The message names the byte offset
 * (when known) and what was wrong there, so a bad datagram is diagnosable from the log.
 */
public class NetlinkFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int offset;

  /**
   * @param offset where the problem is, counted from the start of the message (or datagram, or
   *     nested attribute value) that was being decoded
   */
  public NetlinkFormatException(int offset, String problem) {
    super("malformed netlink data at offset " + offset + ": " + problem);
    this.offset = offset;
  }

  /** A problem with a value already cut out of its message, such as a u32 of 2 bytes. */
  public NetlinkFormatException(String problem) {
    super("malformed netlink data: " + problem);
    this.offset = -1;
  }

  /** The byte offset of the problem, or -1 when it is not known. */
  public int offset() {
    return offset;
  }
}
