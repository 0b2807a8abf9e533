package io.kubelvs.agent.netlink;

import java.nio.ByteBuffer;

/**
 * The outcome the kernel reports for a request: the payload of NLMSG_ERROR (struct nlmsgerr,
 * include/uapi/linux/netlink.h), or of the NLMSG_DONE that ends a dump.
 *
 * <pre>
 * NLMSG_ERROR:                           NLMSG_DONE:
 *  0  error (s32, 0 = ACK, else -errno)    0  error (s32)
 *  4  the request's nlmsghdr (16 bytes)    4  extended ACK attributes, if NLM_F_ACK_TLVS
 * 20  the request's payload, unless NLM_F_CAPPED
 *  .. extended ACK attributes (NLMSGERR_ATTR_*), if NLM_F_ACK_TLVS
 * </pre>
 *
 * @param error 0 for success, otherwise a negative errno
 * @param kernelMessage NLMSGERR_ATTR_MSG, the kernel's explanation, or null
 * @param badAttributeOffset NLMSGERR_ATTR_OFFS, the offset of the offending attribute in the
 *     request, or -1
 */
public record NetlinkAck(int error, String kernelMessage, int badAttributeOffset) {
  static final int ERROR_OFFSET = 0;
  static final int REQUEST_HEADER_OFFSET = 4;
  static final int ERROR_LENGTH = 4;

  public boolean isSuccess() {
    return error == 0;
  }

  /** The positive errno, e.g. 17 for EEXIST. */
  public int errno() {
    return -error;
  }

  /** Decodes an NLMSG_ERROR message. */
  public static NetlinkAck decodeError(NetlinkMessage message) {
    ByteBuffer in = message.payloadBuffer();
    int echoed = REQUEST_HEADER_OFFSET + NetlinkMessage.HEADER_LENGTH;
    if (in.remaining() < echoed) {
      throw new NetlinkFormatException(
          NetlinkMessage.HEADER_LENGTH,
          "NLMSG_ERROR payload of " + in.remaining() + " bytes; struct nlmsgerr needs " + echoed);
    }
    if (message.hasFlags(Netlink.NLM_F_CAPPED)) {
      return decode(message, echoed);
    }
    // Uncapped, the whole request is echoed; its nlmsg_len says where the attributes start.
    int echoedLength = in.getInt(REQUEST_HEADER_OFFSET + NetlinkMessage.LENGTH_OFFSET);
    if (echoedLength < NetlinkMessage.HEADER_LENGTH
        || echoedLength > in.remaining() - REQUEST_HEADER_OFFSET) {
      throw new NetlinkFormatException(
          NetlinkMessage.HEADER_LENGTH + REQUEST_HEADER_OFFSET,
          "echoed request nlmsg_len "
              + Integer.toUnsignedString(echoedLength)
              + " does not fit the NLMSG_ERROR payload of "
              + in.remaining()
              + " bytes");
    }
    return decode(message, REQUEST_HEADER_OFFSET + Netlink.align(echoedLength));
  }

  /** Decodes an NLMSG_DONE message; an old kernel may send it with an empty payload. */
  public static NetlinkAck decodeDone(NetlinkMessage message) {
    if (message.payloadLength() < ERROR_LENGTH) {
      return new NetlinkAck(0, null, -1);
    }
    return decode(message, ERROR_LENGTH);
  }

  private static NetlinkAck decode(NetlinkMessage message, int attributesStart) {
    int error = message.payloadBuffer().getInt(ERROR_OFFSET);
    if (!message.hasFlags(Netlink.NLM_F_ACK_TLVS) || attributesStart >= message.payloadLength()) {
      return new NetlinkAck(error, null, -1);
    }
    NetlinkAttributes extended = message.attributes(attributesStart);
    return new NetlinkAck(
        error,
        extended.first(Netlink.NLMSGERR_ATTR_MSG).map(NetlinkAttribute::string).orElse(null),
        extended.first(Netlink.NLMSGERR_ATTR_OFFS).map(NetlinkAttribute::u32).orElse(-1));
  }
}
