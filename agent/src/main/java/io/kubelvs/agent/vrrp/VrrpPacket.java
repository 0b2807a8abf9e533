package io.kubelvs.agent.vrrp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A VRRP advertisement, version 2 (RFC 3768) or 3 (RFC 5798), and its wire format: the payload of
 * an IP datagram of protocol 112.
 *
 * <pre>
 * VRRPv2, RFC 3768 §5.1 (IPv4 only)
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Type  | Virtual Rtr ID|   Priority    | Count IP Addrs|  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Auth Type   |   Adver Int   |          Checksum             |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         IP Address (1) ... (n)                |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Authentication Data (8 bytes)                |  8 + 4n
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * VRRPv3, RFC 5798 §5.1 (IPv4 or IPv6)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Type  | Virtual Rtr ID|   Priority    |Count IPvX Addr|  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |(rsvd) |     Max Adver Int     |          Checksum             |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |             IPvX Address (1) ... (n), 4 or 16 bytes each      |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Both intervals are held in centiseconds: v2's whole seconds are multiplied by 100. The count
 * of addresses is {@link #addressCount()}, the size of the address list; the type is always
 * ADVERTISEMENT; the checksum is computed by {@link #encode} and verified by {@link #decode}.
 *
 * @param version 2 or 3
 * @param vrid Virtual Router ID, 1-255
 * @param priority 0 (the master is leaving) to 255 (the address owner)
 * @param authType VRRPv2 authentication; always {@link AuthType#NONE} in v3
 * @param authData VRRPv2 Authentication Data, 8 bytes (all zero in v3)
 * @param advertIntervalCentiseconds v2: 100-25500 in whole seconds; v3: 1-4095
 * @param addresses 1-255 addresses, IPv4 (v2, v3) or IPv6 (v3), all of one family
 */
public record VrrpPacket(
    int version,
    int vrid,
    int priority,
    AuthType authType,
    byte[] authData,
    int advertIntervalCentiseconds,
    List<InetAddress> addresses) {

  public static final int VERSION_TYPE_OFFSET = 0;
  public static final int VRID_OFFSET = 1;
  public static final int PRIORITY_OFFSET = 2;
  public static final int COUNT_OFFSET = 3;

  /** v2: Auth Type (8 bits). */
  public static final int AUTH_TYPE_OFFSET = 4;

  /** v2: Adver Int, seconds (8 bits). */
  public static final int V2_ADVERT_INTERVAL_OFFSET = 5;

  /** v3: 4 reserved bits, then Max Adver Int, centiseconds (12 bits). */
  public static final int V3_ADVERT_INTERVAL_OFFSET = 4;

  public static final int CHECKSUM_OFFSET = 6;
  public static final int ADDRESSES_OFFSET = 8;
  public static final int HEADER_LENGTH = 8;
  public static final int AUTH_DATA_LENGTH = 8;

  /** The only type RFC 3768 and RFC 5798 define. */
  public static final int TYPE_ADVERTISEMENT = 1;

  public static final int V3_MAX_ADVERT_INTERVAL_MASK = 0x0fff;
  public static final int CENTISECONDS_PER_SECOND = 100;

  /** VRRPv2 Auth Type. RFC 3768 reserves 1 and 2; keepalived uses 1 for PASS (RFC 2338). */
  public enum AuthType {
    NONE(0),
    /** keepalived's {@code auth_type PASS}: 8 bytes of cleartext password, zero-padded. */
    SIMPLE_TEXT_PASSWORD(1);

    private final int code;

    AuthType(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    /** The auth type with this code, or null for one this implementation does not speak. */
    public static AuthType ofCode(int code) {
      for (AuthType type : values()) {
        if (type.code == code) {
          return type;
        }
      }
      return null;
    }
  }

  public VrrpPacket {
    Objects.requireNonNull(authType, "authType");
    authData = Objects.requireNonNull(authData, "authData").clone();
    addresses = List.copyOf(addresses);
    check(version == 2 || version == 3, "version %d, expected 2 or 3", version);
    check(vrid >= 1 && vrid <= 255, "VRID %d, expected 1-255", vrid);
    check(priority >= 0 && priority <= 255, "priority %d, expected 0-255", priority);
    check(authData.length == AUTH_DATA_LENGTH, "authData of %d bytes, expected 8", authData.length);
    check(
        !addresses.isEmpty() && addresses.size() <= 255,
        "%d addresses, expected 1-255",
        addresses.size());
    checkOneFamily(addresses);
    if (version == 2) {
      checkV2(advertIntervalCentiseconds, addresses);
    } else {
      checkV3(authType, authData, advertIntervalCentiseconds);
    }
  }

  private static void checkOneFamily(List<InetAddress> addresses) {
    boolean ipv6 = addresses.get(0) instanceof Inet6Address;
    for (InetAddress address : addresses) {
      check(
          (address instanceof Inet6Address) == ipv6, "addresses mix IPv4 and IPv6: %s", addresses);
    }
  }

  private static void checkV2(int advertIntervalCentiseconds, List<InetAddress> addresses) {
    check(
        addresses.get(0) instanceof Inet4Address,
        "VRRPv2 carries IPv4 addresses only: %s",
        addresses);
    check(
        advertIntervalCentiseconds % CENTISECONDS_PER_SECOND == 0
            && advertIntervalCentiseconds >= 100
            && advertIntervalCentiseconds <= 255 * CENTISECONDS_PER_SECOND,
        "VRRPv2 advert interval %d cs, expected whole seconds 1-255",
        advertIntervalCentiseconds);
  }

  private static void checkV3(AuthType authType, byte[] authData, int advertIntervalCentiseconds) {
    check(authType == AuthType.NONE, "VRRPv3 has no authentication, got %s", authType);
    check(Arrays.equals(authData, new byte[AUTH_DATA_LENGTH]), "VRRPv3 has no authentication data");
    check(
        advertIntervalCentiseconds >= 1
            && advertIntervalCentiseconds <= V3_MAX_ADVERT_INTERVAL_MASK,
        "VRRPv3 advert interval %d cs, expected 1-4095",
        advertIntervalCentiseconds);
  }

  /** A VRRPv2 advertisement without authentication. */
  public static VrrpPacket v2(
      int vrid, int priority, int advertIntervalSeconds, List<? extends InetAddress> addresses) {
    return new VrrpPacket(
        2,
        vrid,
        priority,
        AuthType.NONE,
        new byte[AUTH_DATA_LENGTH],
        advertIntervalSeconds * CENTISECONDS_PER_SECOND,
        List.copyOf(addresses));
  }

  /** A VRRPv2 advertisement with keepalived's {@code auth_type PASS}. */
  public static VrrpPacket v2WithPassword(
      int vrid,
      int priority,
      int advertIntervalSeconds,
      String password,
      List<? extends InetAddress> addresses) {
    return new VrrpPacket(
        2,
        vrid,
        priority,
        AuthType.SIMPLE_TEXT_PASSWORD,
        passwordAuthData(password),
        advertIntervalSeconds * CENTISECONDS_PER_SECOND,
        List.copyOf(addresses));
  }

  /** A VRRPv3 advertisement. */
  public static VrrpPacket v3(
      int vrid,
      int priority,
      int advertIntervalCentiseconds,
      List<? extends InetAddress> addresses) {
    return new VrrpPacket(
        3,
        vrid,
        priority,
        AuthType.NONE,
        new byte[AUTH_DATA_LENGTH],
        advertIntervalCentiseconds,
        List.copyOf(addresses));
  }

  /**
   * The Authentication Data of a simple text password: its UTF-8 bytes, zero-padded to 8.
   *
   * @throws IllegalArgumentException if the password is empty or longer than 8 bytes (keepalived
   *     would silently cut it to 8)
   */
  public static byte[] passwordAuthData(String password) {
    byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
    check(
        bytes.length >= 1 && bytes.length <= AUTH_DATA_LENGTH,
        "VRRPv2 password of %d bytes, expected 1-8",
        bytes.length);
    return Arrays.copyOf(bytes, AUTH_DATA_LENGTH);
  }

  @Override
  public byte[] authData() {
    return authData.clone();
  }

  public int type() {
    return TYPE_ADVERTISEMENT;
  }

  /** Count IP Addrs / Count IPvX Addr. */
  public int addressCount() {
    return addresses.size();
  }

  public boolean isIpv6() {
    return addresses.get(0) instanceof Inet6Address;
  }

  public Duration advertInterval() {
    return Duration.ofMillis(advertIntervalCentiseconds * 10L);
  }

  /** The same advertisement with another priority (0 when the master leaves). */
  public VrrpPacket withPriority(int newPriority) {
    return new VrrpPacket(
        version, vrid, newPriority, authType, authData, advertIntervalCentiseconds, addresses);
  }

  /** The length of the encoded message. */
  public int length() {
    return expectedLength(version, addresses.size(), isIpv6());
  }

  static int expectedLength(int version, int count, boolean ipv6) {
    int addressLength = ipv6 ? 16 : 4;
    return HEADER_LENGTH + count * addressLength + (version == 2 ? AUTH_DATA_LENGTH : 0);
  }

  /**
   * The VRRP message, checksum included.
   *
   * @param source the IP source the message will be sent from (in the v3 pseudo-header)
   * @param destination the IP destination: the multicast group or a unicast peer
   * @throws IllegalArgumentException if source or destination are not of the addresses' family
   */
  public byte[] encode(InetAddress source, InetAddress destination) {
    boolean ipv6 = isIpv6();
    check(
        (source instanceof Inet6Address) == ipv6 && (destination instanceof Inet6Address) == ipv6,
        "cannot send %s addresses from %s to %s",
        ipv6 ? "IPv6" : "IPv4",
        source,
        destination);
    byte[] out = new byte[length()];
    out[VERSION_TYPE_OFFSET] = (byte) (version << 4 | TYPE_ADVERTISEMENT);
    out[VRID_OFFSET] = (byte) vrid;
    out[PRIORITY_OFFSET] = (byte) priority;
    out[COUNT_OFFSET] = (byte) addresses.size();
    if (version == 2) {
      out[AUTH_TYPE_OFFSET] = (byte) authType.code();
      out[V2_ADVERT_INTERVAL_OFFSET] =
          (byte) (advertIntervalCentiseconds / CENTISECONDS_PER_SECOND);
    } else {
      out[V3_ADVERT_INTERVAL_OFFSET] = (byte) (advertIntervalCentiseconds >>> 8);
      out[V3_ADVERT_INTERVAL_OFFSET + 1] = (byte) advertIntervalCentiseconds;
    }
    int at = ADDRESSES_OFFSET;
    for (InetAddress address : addresses) {
      byte[] bytes = address.getAddress();
      System.arraycopy(bytes, 0, out, at, bytes.length);
      at += bytes.length;
    }
    if (version == 2) {
      System.arraycopy(authData, 0, out, at, AUTH_DATA_LENGTH);
    }
    int checksum = VrrpChecksum.compute(version, out, 0, out.length, source, destination);
    out[CHECKSUM_OFFSET] = (byte) (checksum >>> 8);
    out[CHECKSUM_OFFSET + 1] = (byte) checksum;
    return out;
  }

  /**
   * Decodes and checks a VRRP message: everything RFC 3768 §7.1 and RFC 5798 §7.1 let a receiver
   * check from the bytes alone. The checks that need configuration (TTL, VRID, authentication,
   * address list, peers) are the receive path's.
   *
   * @param ipPayload holds the message at {@code [offset, offset + length)}: the IP payload
   * @param source the IP source address (v3 pseudo-header; its family selects IPv4 or IPv6)
   * @param destination the IP destination address (v3 pseudo-header)
   * @throws VrrpDecodeException with the reason the packet must be dropped
   * @throws IllegalArgumentException if source and destination differ in address family (a bug of
   *     the caller, not of the packet)
   */
  public static VrrpPacket decode(
      byte[] ipPayload, int offset, int length, InetAddress source, InetAddress destination)
      throws VrrpDecodeException {
    return VrrpPacketDecoder.decode(ipPayload, offset, length, source, destination);
  }

  /**
   * Decodes a whole IPv4 datagram as a raw socket of protocol 112 returns it: the IPv4 header (20
   * bytes or more), then the VRRP message.
   *
   * @param len how many bytes of {@code buf} were received
   * @throws VrrpDecodeException with the reason the datagram must be dropped
   */
  public static VrrpDecodedDatagram decodeIpv4Datagram(byte[] buf, int len)
      throws VrrpDecodeException {
    return VrrpDecodedDatagram.decode(buf, len);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VrrpPacket other
        && version == other.version
        && vrid == other.vrid
        && priority == other.priority
        && authType == other.authType
        && Arrays.equals(authData, other.authData)
        && advertIntervalCentiseconds == other.advertIntervalCentiseconds
        && addresses.equals(other.addresses);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        version,
        vrid,
        priority,
        authType,
        Arrays.hashCode(authData),
        advertIntervalCentiseconds,
        addresses);
  }

  /** One line for logs; the authentication data (a cleartext password) is left out. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("VRRPv").append(version);
    out.append(" vrid=").append(vrid).append(" priority=").append(priority);
    out.append(" advertInterval=").append(advertIntervalCentiseconds).append("cs");
    if (version == 2) {
      out.append(" auth=").append(authType);
    }
    out.append(" addresses=[");
    for (int i = 0; i < addresses.size(); i++) {
      out.append(i == 0 ? "" : ",").append(addresses.get(i).getHostAddress());
    }
    return out.append(']').toString();
  }

  private static void check(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException("invalid VRRP packet: " + String.format(format, args));
    }
  }
}
