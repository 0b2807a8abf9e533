package io.kubelvs.agent.netlink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One netlink attribute (struct nlattr), decoded. {@link AttributeWriter} encodes them.
 *
 * <pre>
 *  +-------------------------------+-------------------------------+
 *  |        nla_len (u16)          | N B |    nla_type (u16)       |  0
 *  +-------------------------------+-------------------------------+
 *  |  value (nla_len - 4 bytes), padded to 4 bytes ...             |  4
 * </pre>
 *
 * N is NLA_F_NESTED (the value is itself attributes), B is NLA_F_NET_BYTEORDER. Integers are in
 * host byte order unless the family says otherwise: IPVS, for one, keeps ports and addresses in
 * network byte order without setting B, so the getters name the order they read.
 *
 * @param type nla_type without the flag bits
 * @param flags the NLA_F_* bits that were set
 * @param value the value without padding; copied in and out
 */
public record NetlinkAttribute(int type, int flags, byte[] value) {
  public static final int HEADER_LENGTH = 4;
  static final int LENGTH_OFFSET = 0;
  static final int TYPE_OFFSET = 2;

  public NetlinkAttribute {
    value = value.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  public int length() {
    return value.length;
  }

  public boolean isNested() {
    return (flags & Netlink.NLA_F_NESTED) != 0;
  }

  public int u8() {
    return Byte.toUnsignedInt(sized(1, "u8").get(0));
  }

  public int u16() {
    return Short.toUnsignedInt(sized(2, "u16").getShort(0));
  }

  /** A u32 as Java int: compare with {@link Integer#toUnsignedLong} when it may exceed 2^31. */
  public int u32() {
    return sized(4, "u32").getInt(0);
  }

  public long u64() {
    return sized(8, "u64").getLong(0);
  }

  /** A 16-bit value in network byte order (__be16), such as an IPVS port. */
  public int u16Network() {
    return Short.toUnsignedInt(sized(2, "__be16").order(ByteOrder.BIG_ENDIAN).getShort(0));
  }

  /** A 32-bit value in network byte order (__be32). */
  public int u32Network() {
    return sized(4, "__be32").order(ByteOrder.BIG_ENDIAN).getInt(0);
  }

  /** A string, with the NUL terminator (NLA_NUL_STRING) dropped if present. */
  public String string() {
    int end = value.length;
    while (end > 0 && value[end - 1] == 0) {
      end--;
    }
    return new String(value, 0, end, StandardCharsets.UTF_8);
  }

  /** An address of 4 (IPv4) or 16 (IPv6) bytes, in network byte order. */
  public InetAddress address() {
    if (value.length != 4 && value.length != 16) {
      throw wrongSize("an IPv4 or IPv6 address (4 or 16 bytes)");
    }
    return toAddress(value);
  }

  /**
   * An address in a field that is always 16 bytes (union nf_inet_addr, as IPVS uses) or exactly the
   * family's size; {@code addressFamily} is AF_INET or AF_INET6 and says how much is used.
   */
  public InetAddress address(int addressFamily) {
    int size = addressFamily == LibC.AF_INET6 ? 16 : 4;
    if (value.length < size) {
      throw wrongSize("an address of family " + addressFamily + " (" + size + " bytes)");
    }
    return toAddress(Arrays.copyOf(value, size));
  }

  /** The value decoded as attributes (a nested attribute). */
  public NetlinkAttributes nested() {
    return NetlinkAttributes.decode(value, 0, value.length);
  }

  private ByteBuffer sized(int size, String what) {
    if (value.length != size) {
      throw wrongSize("a " + what + " (" + size + " bytes)");
    }
    return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder());
  }

  private NetlinkFormatException wrongSize(String expected) {
    return new NetlinkFormatException(
        "attribute type " + type + " holds " + value.length + " bytes, read as " + expected);
  }

  private static InetAddress toAddress(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException impossible) {
      throw new AssertionError("4 and 16 bytes are valid address lengths", impossible);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NetlinkAttribute a
        && type == a.type
        && flags == a.flags
        && Arrays.equals(value, a.value);
  }

  @Override
  public int hashCode() {
    return (31 * type + flags) * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "NetlinkAttribute[type=%d, flags=0x%x, %d bytes]".formatted(type, flags, value.length);
  }
}
