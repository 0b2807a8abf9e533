package io.kubelvs.agent.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The attributes of a message or of a nested attribute, in wire order. Look-ups return the first
 * attribute of a type; arrays (such as CTRL_ATTR_MCAST_GROUPS) are nested attributes whose types
 * are indexes, read with {@link #all()}.
 */
public record NetlinkAttributes(List<NetlinkAttribute> all) {
  public NetlinkAttributes {
    all = List.copyOf(all);
  }

  public Optional<NetlinkAttribute> first(int type) {
    return all.stream().filter(a -> a.type() == type).findFirst();
  }

  /** The attribute of that type, or a format error naming {@code name}, when it must be there. */
  public NetlinkAttribute require(int type, String name) {
    return first(type)
        .orElseThrow(
            () -> new NetlinkFormatException("required attribute " + name + " is missing"));
  }

  public List<NetlinkAttribute> all(int type) {
    return all.stream().filter(a -> a.type() == type).toList();
  }

  public boolean contains(int type) {
    return first(type).isPresent();
  }

  /** Decodes the attributes in {@code data[start, end)}; offsets in errors count from 0. */
  public static NetlinkAttributes decode(byte[] data, int start, int end) {
    return decode(data, start, end, 0);
  }

  /**
   * @param reportBase added to offsets in errors, so they count from the start of the message
   */
  static NetlinkAttributes decode(byte[] data, int start, int end, int reportBase) {
    ByteBuffer in = ByteBuffer.wrap(data, 0, end).order(ByteOrder.nativeOrder());
    List<NetlinkAttribute> attributes = new ArrayList<>();
    int offset = start;
    while (offset < end) {
      int remaining = end - offset;
      if (remaining < NetlinkAttribute.HEADER_LENGTH) {
        throw new NetlinkFormatException(
            reportBase + offset,
            "only " + remaining + " bytes left, a nlattr needs 4 (truncated attribute)");
      }
      int length = Short.toUnsignedInt(in.getShort(offset + NetlinkAttribute.LENGTH_OFFSET));
      int rawType = Short.toUnsignedInt(in.getShort(offset + NetlinkAttribute.TYPE_OFFSET));
      if (length < NetlinkAttribute.HEADER_LENGTH) {
        throw new NetlinkFormatException(
            reportBase + offset,
            "nla_len " + length + " of attribute type " + rawType + " is smaller than its header");
      }
      if (length > remaining) {
        throw new NetlinkFormatException(
            reportBase + offset,
            "nla_len "
                + length
                + " of attribute type "
                + (rawType & Netlink.NLA_TYPE_MASK)
                + " runs past the end ("
                + remaining
                + " bytes left)");
      }
      byte[] value = new byte[length - NetlinkAttribute.HEADER_LENGTH];
      in.get(offset + NetlinkAttribute.HEADER_LENGTH, value);
      attributes.add(
          new NetlinkAttribute(
              rawType & Netlink.NLA_TYPE_MASK, rawType & ~Netlink.NLA_TYPE_MASK, value));
      offset += Netlink.align(length);
    }
    return new NetlinkAttributes(attributes);
  }
}
