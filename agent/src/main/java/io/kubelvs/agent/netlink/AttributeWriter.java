package io.kubelvs.agent.netlink;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Builds a message payload: an optional fixed family header, then attributes (struct nlattr, see
 * {@link NetlinkAttribute} for the layout), each padded to 4 bytes. Integers are written in host
 * byte order; the {@code ...Network} methods write network byte order for the families (IPVS) that
 * keep ports and addresses that way.
 */
public final class AttributeWriter {
  private static final int MAX_ATTRIBUTE_LENGTH = 0xffff;

  private ByteBuffer out = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());

  /** The family's fixed header (genlmsghdr, ifinfomsg, ...); it must come before attributes. */
  public AttributeWriter header(byte[] familyHeader) {
    if (out.position() != 0) {
      throw new IllegalStateException("the family header must be written first");
    }
    ensure(Netlink.align(familyHeader.length));
    out.put(familyHeader);
    pad();
    return this;
  }

  public AttributeWriter u8(int type, int value) {
    return put(type, new byte[] {(byte) value});
  }

  public AttributeWriter u16(int type, int value) {
    return put(type, order(2, ByteOrder.nativeOrder()).putShort((short) value).array());
  }

  public AttributeWriter u32(int type, int value) {
    return put(type, order(4, ByteOrder.nativeOrder()).putInt(value).array());
  }

  public AttributeWriter u64(int type, long value) {
    return put(type, order(8, ByteOrder.nativeOrder()).putLong(value).array());
  }

  /** A 16-bit value in network byte order (__be16), such as a port. */
  public AttributeWriter u16Network(int type, int value) {
    return put(type, order(2, ByteOrder.BIG_ENDIAN).putShort((short) value).array());
  }

  /** A 32-bit value in network byte order (__be32), such as a netmask. */
  public AttributeWriter u32Network(int type, int value) {
    return put(type, order(4, ByteOrder.BIG_ENDIAN).putInt(value).array());
  }

  /** A NUL-terminated string (NLA_NUL_STRING), which every kernel string policy accepts. */
  public AttributeWriter string(int type, String value) {
    byte[] text = value.getBytes(StandardCharsets.UTF_8);
    byte[] terminated = new byte[text.length + 1];
    System.arraycopy(text, 0, terminated, 0, text.length);
    return put(type, terminated);
  }

  /** The address's 4 or 16 bytes, network byte order as InetAddress holds them. */
  public AttributeWriter address(int type, InetAddress address) {
    return put(type, address.getAddress());
  }

  public AttributeWriter bytes(int type, byte[] value) {
    return put(type, value);
  }

  /** An attribute without value (NLA_FLAG): present means true. */
  public AttributeWriter flag(int type) {
    return put(type, new byte[0]);
  }

  /**
   * A nested attribute with NLA_F_NESTED set, whose value {@code body} writes as attributes. Arrays
   * are nested attributes whose members have types 1, 2, 3, ...
   */
  public AttributeWriter nested(int type, Consumer<AttributeWriter> body) {
    int start = beginAttribute(type | Netlink.NLA_F_NESTED);
    body.accept(this);
    int length = out.position() - start;
    checkLength(type, length);
    out.putShort(start + NetlinkAttribute.LENGTH_OFFSET, (short) length);
    return this;
  }

  /** The payload written so far. */
  public byte[] toByteArray() {
    byte[] bytes = new byte[out.position()];
    out.get(0, bytes);
    return bytes;
  }

  public int length() {
    return out.position();
  }

  private AttributeWriter put(int type, byte[] value) {
    int length = NetlinkAttribute.HEADER_LENGTH + value.length;
    checkLength(type, length);
    ensure(Netlink.align(length));
    int start = beginAttribute(type);
    out.putShort(start + NetlinkAttribute.LENGTH_OFFSET, (short) length);
    out.put(value);
    pad();
    return this;
  }

  private int beginAttribute(int typeWithFlags) {
    if ((typeWithFlags & 0xffff) != typeWithFlags) {
      throw new IllegalArgumentException("attribute type " + typeWithFlags + " exceeds 16 bits");
    }
    ensure(NetlinkAttribute.HEADER_LENGTH);
    int start = out.position();
    out.putShort((short) NetlinkAttribute.HEADER_LENGTH);
    out.putShort((short) typeWithFlags);
    return start;
  }

  private static void checkLength(int type, int length) {
    if (length > MAX_ATTRIBUTE_LENGTH) {
      throw new IllegalArgumentException(
          "attribute type " + type + " of " + length + " bytes exceeds nla_len's 65535");
    }
  }

  private void pad() {
    int padding = Netlink.align(out.position()) - out.position();
    ensure(padding);
    out.put(new byte[padding]);
  }

  private void ensure(int more) {
    if (out.remaining() < more) {
      int capacity = Math.max(out.capacity() * 2, out.position() + more);
      ByteBuffer bigger = ByteBuffer.allocate(capacity).order(ByteOrder.nativeOrder());
      out.flip();
      bigger.put(out);
      out = bigger;
    }
  }

  private static ByteBuffer order(int size, ByteOrder order) {
    return ByteBuffer.allocate(size).order(order);
  }
}
