package io.kubelvs.agent.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One netlink message: the header and its payload (a family header such as genlmsghdr or ifinfomsg,
 * then attributes). Encoding and decoding only; no I/O.
 *
 * <pre>
 *  0               1               2               3
 *  +---------------+---------------+---------------+---------------+
 *  |                      nlmsg_len (u32)                          |  0
 *  +---------------------------------------------------------------+
 *  |     nlmsg_type (u16)          |     nlmsg_flags (u16)         |  4
 *  +---------------------------------------------------------------+
 *  |                      nlmsg_seq (u32)                          |  8
 *  +---------------------------------------------------------------+
 *  |                      nlmsg_pid (u32)                          | 12
 *  +---------------------------------------------------------------+
 *  |  payload (nlmsg_len - 16 bytes), padded to 4 bytes ...        | 16
 * </pre>
 *
 * The header is in host byte order (little-endian on x86-64 and arm64), so buffers use {@link
 * ByteOrder#nativeOrder()}. {@code nlmsg_len} counts header and payload but not the padding.
 *
 * @param type nlmsg_type, an unsigned 16-bit value (a family id for generic netlink)
 * @param flags nlmsg_flags, NLM_F_*
 * @param sequence nlmsg_seq; the socket assigns it when it sends
 * @param portId nlmsg_pid; 0 both for the kernel and for "let the kernel fill it in"
 * @param payload the bytes after the header, unpadded; copied in and out
 */
public record NetlinkMessage(int type, int flags, int sequence, int portId, byte[] payload) {
  public static final int HEADER_LENGTH = 16;
  static final int LENGTH_OFFSET = 0;
  static final int TYPE_OFFSET = 4;
  static final int FLAGS_OFFSET = 6;
  static final int SEQUENCE_OFFSET = 8;
  static final int PORT_ID_OFFSET = 12;

  public NetlinkMessage {
    checkU16("nlmsg_type", type);
    checkU16("nlmsg_flags", flags);
    payload = payload.clone();
  }

  /** A request to send: sequence number and port id are left for the socket to fill in. */
  public static NetlinkMessage request(int type, int flags, byte[] payload) {
    return new NetlinkMessage(type, flags, 0, 0, payload);
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** A read-only, host-order view of the payload, for decoders; position 0. */
  public ByteBuffer payloadBuffer() {
    return ByteBuffer.wrap(payload).asReadOnlyBuffer().order(ByteOrder.nativeOrder());
  }

  public int payloadLength() {
    return payload.length;
  }

  /** nlmsg_len: header plus payload, without trailing padding. */
  public int length() {
    return HEADER_LENGTH + payload.length;
  }

  public boolean hasFlags(int mask) {
    return (flags & mask) == mask;
  }

  public NetlinkMessage withSequence(int newSequence) {
    return new NetlinkMessage(type, flags, newSequence, portId, payload);
  }

  public NetlinkMessage withFlags(int newFlags) {
    return new NetlinkMessage(type, newFlags, sequence, portId, payload);
  }

  /**
   * The attributes that follow a fixed family header of {@code familyHeaderLength} bytes; offsets
   * in format errors count from the start of this message.
   */
  public NetlinkAttributes attributes(int familyHeaderLength) {
    int start = Netlink.align(familyHeaderLength);
    if (start > payload.length) {
      throw new NetlinkFormatException(
          HEADER_LENGTH,
          "payload of " + payload.length + " bytes is shorter than its " + start + "-byte header");
    }
    return NetlinkAttributes.decode(payload, start, payload.length, HEADER_LENGTH);
  }

  /** Writes the message and its padding at {@code out}'s position, which advances. */
  public void encodeTo(ByteBuffer out) {
    int start = out.position();
    ByteOrder order = out.order();
    out.order(ByteOrder.nativeOrder());
    out.putInt(start + LENGTH_OFFSET, length());
    out.putShort(start + TYPE_OFFSET, (short) type);
    out.putShort(start + FLAGS_OFFSET, (short) flags);
    out.putInt(start + SEQUENCE_OFFSET, sequence);
    out.putInt(start + PORT_ID_OFFSET, portId);
    out.position(start + HEADER_LENGTH).put(payload);
    for (int i = length(); i < encodedLength(); i++) {
      out.put((byte) 0);
    }
    out.order(order);
  }

  /** Bytes on the wire including the padding to the next message. */
  public int encodedLength() {
    return Netlink.align(length());
  }

  public byte[] encode() {
    ByteBuffer out = ByteBuffer.allocate(encodedLength());
    encodeTo(out);
    return out.array();
  }

  /** Decodes every message in a datagram (its bytes from position to limit). */
  public static List<NetlinkMessage> decodeAll(ByteBuffer datagram) {
    ByteBuffer in = datagram.slice().order(ByteOrder.nativeOrder());
    List<NetlinkMessage> messages = new ArrayList<>();
    int offset = 0;
    while (offset < in.limit()) {
      NetlinkMessage message = decodeAt(in, offset);
      messages.add(message);
      offset += message.encodedLength();
    }
    return messages;
  }

  public static List<NetlinkMessage> decodeAll(byte[] datagram) {
    return decodeAll(ByteBuffer.wrap(datagram));
  }

  private static NetlinkMessage decodeAt(ByteBuffer in, int offset) {
    int remaining = in.limit() - offset;
    if (remaining < HEADER_LENGTH) {
      throw new NetlinkFormatException(
          offset,
          "only " + remaining + " bytes left, a nlmsghdr needs " + HEADER_LENGTH + " (truncated)");
    }
    long length = Integer.toUnsignedLong(in.getInt(offset + LENGTH_OFFSET));
    if (length < HEADER_LENGTH) {
      throw new NetlinkFormatException(
          offset, "nlmsg_len " + length + " is smaller than the " + HEADER_LENGTH + "-byte header");
    }
    if (length > remaining) {
      throw new NetlinkFormatException(
          offset,
          "nlmsg_len " + length + " runs past the end of the data (" + remaining + " bytes left)");
    }
    byte[] payload = new byte[(int) length - HEADER_LENGTH];
    in.get(offset + HEADER_LENGTH, payload);
    return new NetlinkMessage(
        Short.toUnsignedInt(in.getShort(offset + TYPE_OFFSET)),
        Short.toUnsignedInt(in.getShort(offset + FLAGS_OFFSET)),
        in.getInt(offset + SEQUENCE_OFFSET),
        in.getInt(offset + PORT_ID_OFFSET),
        payload);
  }

  private static void checkU16(String field, int value) {
    if (value < 0 || value > 0xffff) {
      throw new IllegalArgumentException(field + " " + value + " does not fit in 16 bits");
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NetlinkMessage m
        && type == m.type
        && flags == m.flags
        && sequence == m.sequence
        && portId == m.portId
        && Arrays.equals(payload, m.payload);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Objects.hash(type, flags, sequence, portId) + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "NetlinkMessage[type=%d, flags=0x%x, sequence=%d, portId=%d, payload=%d bytes]"
        .formatted(type, flags, sequence, portId, payload.length);
  }
}
