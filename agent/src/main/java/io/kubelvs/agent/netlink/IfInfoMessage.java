package io.kubelvs.agent.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The link message header (struct ifinfomsg, include/uapi/linux/rtnetlink.h) that starts the
 * payload of RTM_NEWLINK/RTM_GETLINK/... messages; attributes (IFLA_*) follow.
 *
 * <pre>
 *  +---------------+---------------+-------------------------------+
 *  | family (u8)   |  pad (u8)     |        ifi_type (u16)         |  0
 *  +---------------+---------------+-------------------------------+
 *  |                       ifi_index (s32)                         |  4
 *  +---------------------------------------------------------------+
 *  |                       ifi_flags (u32)  IFF_*                  |  8
 *  +---------------------------------------------------------------+
 *  |                       ifi_change (u32)                        | 12
 *  +---------------------------------------------------------------+
 * </pre>
 */
public record IfInfoMessage(int family, int deviceType, int index, int flags, int change) {
  public static final int LENGTH = 16;
  static final int FAMILY_OFFSET = 0;
  static final int TYPE_OFFSET = 2;
  static final int INDEX_OFFSET = 4;
  static final int FLAGS_OFFSET = 8;
  static final int CHANGE_OFFSET = 12;

  /** The header of a request about one link, by index (0: select by IFLA_IFNAME instead). */
  public static IfInfoMessage forIndex(int index) {
    return new IfInfoMessage(LibC.AF_UNSPEC, 0, index, 0, 0);
  }

  public byte[] encode() {
    ByteBuffer out = ByteBuffer.allocate(LENGTH).order(ByteOrder.nativeOrder());
    out.put(FAMILY_OFFSET, (byte) family);
    out.putShort(TYPE_OFFSET, (short) deviceType);
    out.putInt(INDEX_OFFSET, index);
    out.putInt(FLAGS_OFFSET, flags);
    out.putInt(CHANGE_OFFSET, change);
    return out.array();
  }

  public static IfInfoMessage decode(NetlinkMessage message) {
    ByteBuffer in = message.payloadBuffer();
    if (in.remaining() < LENGTH) {
      throw new NetlinkFormatException(
          NetlinkMessage.HEADER_LENGTH,
          "payload of " + in.remaining() + " bytes is too short for a 16-byte ifinfomsg");
    }
    return new IfInfoMessage(
        Byte.toUnsignedInt(in.get(FAMILY_OFFSET)),
        Short.toUnsignedInt(in.getShort(TYPE_OFFSET)),
        in.getInt(INDEX_OFFSET),
        in.getInt(FLAGS_OFFSET),
        in.getInt(CHANGE_OFFSET));
  }
}
