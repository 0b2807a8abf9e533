package io.kubelvs.agent.netlink;

/**
 * The generic netlink family header (struct genlmsghdr, include/uapi/linux/genetlink.h), which
 * starts the payload of every generic netlink message.
 *
 * <pre>
 *  +---------------+---------------+-------------------------------+
 *  |   cmd (u8)    | version (u8)  |        reserved (u16)         |  0
 *  +---------------+---------------+-------------------------------+
 * </pre>
 *
 * @param command the family's command, e.g. CTRL_CMD_GETFAMILY
 * @param version the family's interface version
 */
public record GenlHeader(int command, int version) {
  public static final int LENGTH = 4;
  static final int COMMAND_OFFSET = 0;
  static final int VERSION_OFFSET = 1;

  public GenlHeader {
    if (command < 0 || command > 0xff || version < 0 || version > 0xff) {
      throw new IllegalArgumentException(
          "genlmsghdr cmd " + command + " and version " + version + " must fit in 8 bits");
    }
  }

  public byte[] encode() {
    byte[] bytes = new byte[LENGTH];
    bytes[COMMAND_OFFSET] = (byte) command;
    bytes[VERSION_OFFSET] = (byte) version;
    return bytes;
  }

  /** Reads the header at the start of a generic netlink message's payload. */
  public static GenlHeader decode(NetlinkMessage message) {
    byte[] payload = message.payload();
    if (payload.length < LENGTH) {
      throw new NetlinkFormatException(
          NetlinkMessage.HEADER_LENGTH,
          "payload of " + payload.length + " bytes is too short for a 4-byte genlmsghdr");
    }
    return new GenlHeader(
        Byte.toUnsignedInt(payload[COMMAND_OFFSET]), Byte.toUnsignedInt(payload[VERSION_OFFSET]));
  }
}
