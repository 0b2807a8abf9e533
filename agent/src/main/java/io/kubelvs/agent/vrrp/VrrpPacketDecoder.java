package io.kubelvs.agent.vrrp;

import static io.kubelvs.agent.vrrp.VrrpPacket.ADDRESSES_OFFSET;
import static io.kubelvs.agent.vrrp.VrrpPacket.AUTH_DATA_LENGTH;
import static io.kubelvs.agent.vrrp.VrrpPacket.AUTH_TYPE_OFFSET;
import static io.kubelvs.agent.vrrp.VrrpPacket.CENTISECONDS_PER_SECOND;
import static io.kubelvs.agent.vrrp.VrrpPacket.CHECKSUM_OFFSET;
import static io.kubelvs.agent.vrrp.VrrpPacket.COUNT_OFFSET;
import static io.kubelvs.agent.vrrp.VrrpPacket.HEADER_LENGTH;
import static io.kubelvs.agent.vrrp.VrrpPacket.PRIORITY_OFFSET;
import static io.kubelvs.agent.vrrp.VrrpPacket.TYPE_ADVERTISEMENT;
import static io.kubelvs.agent.vrrp.VrrpPacket.V2_ADVERT_INTERVAL_OFFSET;
import static io.kubelvs.agent.vrrp.VrrpPacket.V3_ADVERT_INTERVAL_OFFSET;
import static io.kubelvs.agent.vrrp.VrrpPacket.V3_MAX_ADVERT_INTERVAL_MASK;
import static io.kubelvs.agent.vrrp.VrrpPacket.VERSION_TYPE_OFFSET;
import static io.kubelvs.agent.vrrp.VrrpPacket.VRID_OFFSET;

import io.kubelvs.agent.vrrp.VrrpPacket.AuthType;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The checks of {@link VrrpPacket#decode}, in the order a reader of RFC 5798 §7.1 expects: what the
 * structure needs (length, version, type, VRID, count, length for that count), then the checksum,
 * then the values of fields the checksum has vouched for. Offsets in messages count from the start
 * of the VRRP message.
 */
final class VrrpPacketDecoder {
  private VrrpPacketDecoder() {}

  static VrrpPacket decode(
      byte[] buf, int offset, int length, InetAddress source, InetAddress destination)
      throws VrrpDecodeException {
    Objects.checkFromIndexSize(offset, length, buf.length);
    boolean ipv6 = source instanceof Inet6Address;
    if (ipv6 != destination instanceof Inet6Address) {
      throw new IllegalArgumentException(
          "source " + source + " and destination " + destination + " differ in address family");
    }
    if (length < HEADER_LENGTH) {
      throw drop(
          DropReason.TOO_SHORT,
          "VRRP message of %d bytes from %s, the fixed header alone needs %d",
          length,
          source.getHostAddress(),
          HEADER_LENGTH);
    }
    int versionType = u8(buf, offset + VERSION_TYPE_OFFSET);
    int version = versionType >>> 4;
    if (version != 2 && version != 3) {
      throw drop(
          DropReason.BAD_VERSION,
          "version %d at offset %d (byte 0x%02x), only 2 and 3 exist",
          version,
          VERSION_TYPE_OFFSET,
          versionType);
    }
    if (version == 2 && ipv6) {
      throw drop(
          DropReason.BAD_VERSION,
          "version 2 at offset %d from IPv6 source %s, VRRPv2 is IPv4 only",
          VERSION_TYPE_OFFSET,
          source.getHostAddress());
    }
    int type = versionType & 0x0f;
    if (type != TYPE_ADVERTISEMENT) {
      throw drop(
          DropReason.BAD_TYPE,
          "type %d at offset %d (byte 0x%02x), only 1 (ADVERTISEMENT) exists",
          type,
          VERSION_TYPE_OFFSET,
          versionType);
    }
    int vrid = u8(buf, offset + VRID_OFFSET);
    if (vrid == 0) {
      throw drop(DropReason.BAD_VRID, "VRID 0 at offset %d, expected 1-255", VRID_OFFSET);
    }
    int count = u8(buf, offset + COUNT_OFFSET);
    if (count == 0) {
      throw drop(
          DropReason.BAD_ADDRESS_COUNT,
          "address count 0 at offset %d, an advertisement carries at least one",
          COUNT_OFFSET);
    }
    int expected = VrrpPacket.expectedLength(version, count, ipv6);
    if (length != expected) {
      throw drop(
          DropReason.LENGTH_MISMATCH,
          "VRRPv%d message of %d bytes, but address count %d at offset %d of %s addresses needs %d",
          version,
          length,
          count,
          COUNT_OFFSET,
          ipv6 ? "IPv6" : "IPv4",
          expected);
    }
    if (!VrrpChecksum.verifies(version, buf, offset, length, source, destination)) {
      throw drop(
          DropReason.BAD_CHECKSUM,
          "checksum 0x%04x at offset %d, computed 0x%04x (VRRPv%d %s > %s)",
          u16(buf, offset + CHECKSUM_OFFSET),
          CHECKSUM_OFFSET,
          VrrpChecksum.compute(version, buf, offset, length, source, destination),
          version,
          source.getHostAddress(),
          destination.getHostAddress());
    }
    List<InetAddress> addresses = addresses(buf, offset + ADDRESSES_OFFSET, count, ipv6);
    int priority = u8(buf, offset + PRIORITY_OFFSET);
    return version == 2
        ? v2(buf, offset, length, vrid, priority, addresses)
        : v3(buf, offset, vrid, priority, addresses);
  }

  private static VrrpPacket v2(
      byte[] buf, int offset, int length, int vrid, int priority, List<InetAddress> addresses)
      throws VrrpDecodeException {
    int authCode = u8(buf, offset + AUTH_TYPE_OFFSET);
    AuthType authType = AuthType.ofCode(authCode);
    if (authType == null) {
      throw drop(
          DropReason.BAD_AUTH_TYPE,
          "auth type %d at offset %d, only 0 (none) and 1 (PASS) are accepted",
          authCode,
          AUTH_TYPE_OFFSET);
    }
    int seconds = u8(buf, offset + V2_ADVERT_INTERVAL_OFFSET);
    if (seconds == 0) {
      throw drop(
          DropReason.BAD_ADVERT_INTERVAL,
          "advert interval 0 s at offset %d, expected 1-255",
          V2_ADVERT_INTERVAL_OFFSET);
    }
    int authDataStart = offset + length - AUTH_DATA_LENGTH;
    byte[] authData = Arrays.copyOfRange(buf, authDataStart, authDataStart + AUTH_DATA_LENGTH);
    return new VrrpPacket(
        2, vrid, priority, authType, authData, seconds * CENTISECONDS_PER_SECOND, addresses);
  }

  private static VrrpPacket v3(
      byte[] buf, int offset, int vrid, int priority, List<InetAddress> addresses)
      throws VrrpDecodeException {
    // The 4 reserved bits are ignored on reception (RFC 5798 §5.2.6).
    int centiseconds = u16(buf, offset + V3_ADVERT_INTERVAL_OFFSET) & V3_MAX_ADVERT_INTERVAL_MASK;
    if (centiseconds == 0) {
      throw drop(
          DropReason.BAD_ADVERT_INTERVAL,
          "max advert interval 0 cs at offset %d, expected 1-4095",
          V3_ADVERT_INTERVAL_OFFSET);
    }
    return new VrrpPacket(
        3, vrid, priority, AuthType.NONE, new byte[AUTH_DATA_LENGTH], centiseconds, addresses);
  }

  private static List<InetAddress> addresses(byte[] buf, int start, int count, boolean ipv6) {
    int size = ipv6 ? 16 : 4;
    List<InetAddress> addresses = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] bytes = Arrays.copyOfRange(buf, start + i * size, start + (i + 1) * size);
      addresses.add(ipv6 ? ipv6Address(bytes) : ipv4Address(bytes));
    }
    return addresses;
  }

  /** An IPv4 address from 4 bytes; no name lookup is made. */
  static Inet4Address ipv4Address(byte[] bytes) {
    try {
      return (Inet4Address) InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 bytes are always an IPv4 address", e);
    }
  }

  /**
   * An IPv6 address from 16 bytes. Inet6Address.getByAddress keeps IPv4-mapped addresses IPv6
   * (InetAddress.getByAddress would turn ::ffff:a.b.c.d into an Inet4Address).
   */
  static Inet6Address ipv6Address(byte[] bytes) {
    try {
      return Inet6Address.getByAddress(null, bytes, -1);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are always an IPv6 address", e);
    }
  }

  static int u8(byte[] buf, int at) {
    return buf[at] & 0xff;
  }

  static int u16(byte[] buf, int at) {
    return (buf[at] & 0xff) << 8 | (buf[at + 1] & 0xff);
  }

  static VrrpDecodeException drop(DropReason reason, String format, Object... args) {
    return new VrrpDecodeException(reason, String.format(format, args));
  }
}
