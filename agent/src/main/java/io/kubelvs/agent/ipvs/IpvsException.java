package io.kubelvs.agent.ipvs;

/**
 * An IPVS operation failed; the message names the command and the object, e.g. {@code
 * IPVS_CMD_NEW_DEST 198.18.1.1:80 → 198.18.0.50:80/TCP: EEXIST (File exists)}.
 */
public class IpvsException extends RuntimeException {
  private final String errnoName;

  public IpvsException(String message, String errnoName, Throwable cause) {
    super(message, cause);
    this.errnoName = errnoName;
  }

  public IpvsException(String message) {
    this(message, null, null);
  }

  /** The symbolic errno (EEXIST, ENOENT, ...) when the kernel refused, else null. */
  public String errnoName() {
    return errnoName;
  }
}
