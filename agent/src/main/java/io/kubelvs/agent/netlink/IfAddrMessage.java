package io.kubelvs.agent.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The address message header (struct ifaddrmsg, include/uapi/linux/if_addr.h) that starts the
 * payload of RTM_NEWADDR/RTM_DELADDR/RTM_GETADDR; attributes (IFA_*) follow.
 *
 * <pre>
 *  +---------------+---------------+---------------+---------------+
 *  | family (u8)   | prefixlen (u8)|  flags (u8)   |  scope (u8)   |  0
 *  +---------------+---------------+---------------+---------------+
 *  |                       ifa_index (u32)                         |  4
 *  +---------------------------------------------------------------+
 * </pre>
 */
public record IfAddrMessage(int family, int prefixLength, int flags, int scope, int index) {
  public static final int LENGTH = 8;
  static final int FAMILY_OFFSET = 0;
  static final int PREFIX_LENGTH_OFFSET = 1;
  static final int FLAGS_OFFSET = 2;
  static final int SCOPE_OFFSET = 3;
  static final int INDEX_OFFSET = 4;

  public byte[] encode() {
    ByteBuffer out = ByteBuffer.allocate(LENGTH).order(ByteOrder.nativeOrder());
    out.put(FAMILY_OFFSET, (byte) family);
    out.put(PREFIX_LENGTH_OFFSET, (byte) prefixLength);
    out.put(FLAGS_OFFSET, (byte) flags);
    out.put(SCOPE_OFFSET, (byte) scope);
    out.putInt(INDEX_OFFSET, index);
    return out.array();
  }

  public static IfAddrMessage decode(NetlinkMessage message) {
    ByteBuffer in = message.payloadBuffer();
    if (in.remaining() < LENGTH) {
      throw new NetlinkFormatException(
          NetlinkMessage.HEADER_LENGTH,
          "payload of " + in.remaining() + " bytes is too short for an 8-byte ifaddrmsg");
    }
    return new IfAddrMessage(
        Byte.toUnsignedInt(in.get(FAMILY_OFFSET)),
        Byte.toUnsignedInt(in.get(PREFIX_LENGTH_OFFSET)),
        Byte.toUnsignedInt(in.get(FLAGS_OFFSET)),
        Byte.toUnsignedInt(in.get(SCOPE_OFFSET)),
        in.getInt(INDEX_OFFSET));
  }
}
