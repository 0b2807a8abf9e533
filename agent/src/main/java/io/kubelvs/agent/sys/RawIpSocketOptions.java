package io.kubelvs.agent.sys;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link RawIpSocket} is set up. {@link #vrrp} gives what VRRP and keepalived use; the {@code
 * with...} methods change one setting.
 *
 * @param family INET (IPv4) or INET6
 * @param protocol the IP protocol number (next header) sent and received, 112 for VRRP
 * @param interfaceName the interface the socket is bound to (SO_BINDTODEVICE)
 * @param interfaceIndex that interface's index, for multicast membership and link-local scope
 * @param hopLimit TTL / hop limit of everything sent, multicast and unicast. RFC 5798 §5.1.1.3
 *     requires 255 (and receivers drop anything else), so another value is for tests of that check
 * @param trafficClass IP_TOS / IPV6_TCLASS: 0xc0 (precedence "internetwork control") as keepalived
 * @param multicastLoop whether this host's other sockets receive what this one multicasts
 * @param sourceAddress the source address to bind to; otherwise the kernel picks the interface's
 *     primary address. VRRPv3 checksums cover the source, so a sender may want to fix it
 */
public record RawIpSocketOptions(
    StandardProtocolFamily family,
    int protocol,
    String interfaceName,
    int interfaceIndex,
    int hopLimit,
    int trafficClass,
    boolean multicastLoop,
    Optional<InetAddress> sourceAddress) {

  /** IPPROTO_VRRP, as IANA assigned it (RFC 5798 §5.1.1.4). */
  public static final int VRRP_PROTOCOL = 112;

  /** TTL and hop limit of VRRP packets (RFC 5798 §5.1.1.3, §5.1.2.3). */
  public static final int VRRP_HOP_LIMIT = 255;

  /** IPTOS_PREC_INTERNETCONTROL, what keepalived sets on adverts. */
  public static final int INTERNETWORK_CONTROL = 0xc0;

  /** Linux interface names hold at most IFNAMSIZ - 1 = 15 bytes. */
  static final int MAX_INTERFACE_NAME_BYTES = 15;

  public RawIpSocketOptions {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(interfaceName, "interfaceName");
    Objects.requireNonNull(sourceAddress, "sourceAddress");
    int nameBytes = interfaceName.getBytes(StandardCharsets.UTF_8).length;
    if (family != StandardProtocolFamily.INET && family != StandardProtocolFamily.INET6) {
      throw new IllegalArgumentException("a raw IP socket is INET or INET6, not " + family);
    }
    if (nameBytes == 0 || nameBytes > MAX_INTERFACE_NAME_BYTES || interfaceIndex <= 0) {
      throw new IllegalArgumentException(
          "interface \"" + interfaceName + "\" (index " + interfaceIndex + ") is not valid");
    }
    checkRange("protocol", protocol, 1, 255);
    checkRange("hop limit", hopLimit, 1, 255);
    checkRange("traffic class", trafficClass, 0, 255);
    if (sourceAddress.isPresent()
        && (sourceAddress.get() instanceof Inet4Address)
            != (family == StandardProtocolFamily.INET)) {
      throw new IllegalArgumentException(
          "source address " + sourceAddress.get().getHostAddress() + " is not of family " + family);
    }
  }

  private static void checkRange(String what, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(what + " " + value + " is not " + min + "-" + max);
    }
  }

  /** VRRP on one interface: protocol 112, hop limit 255, TOS 0xc0, no loopback of multicast. */
  public static RawIpSocketOptions vrrp(
      StandardProtocolFamily family, String interfaceName, int interfaceIndex) {
    return new RawIpSocketOptions(
        family,
        VRRP_PROTOCOL,
        interfaceName,
        interfaceIndex,
        VRRP_HOP_LIMIT,
        INTERNETWORK_CONTROL,
        false,
        Optional.empty());
  }

  public boolean isIpv4() {
    return family == StandardProtocolFamily.INET;
  }

  public RawIpSocketOptions withProtocol(int newProtocol) {
    return new RawIpSocketOptions(
        family,
        newProtocol,
        interfaceName,
        interfaceIndex,
        hopLimit,
        trafficClass,
        multicastLoop,
        sourceAddress);
  }

  public RawIpSocketOptions withHopLimit(int newHopLimit) {
    return new RawIpSocketOptions(
        family,
        protocol,
        interfaceName,
        interfaceIndex,
        newHopLimit,
        trafficClass,
        multicastLoop,
        sourceAddress);
  }

  public RawIpSocketOptions withTrafficClass(int newTrafficClass) {
    return new RawIpSocketOptions(
        family,
        protocol,
        interfaceName,
        interfaceIndex,
        hopLimit,
        newTrafficClass,
        multicastLoop,
        sourceAddress);
  }

  public RawIpSocketOptions withMulticastLoop(boolean loop) {
    return new RawIpSocketOptions(
        family,
        protocol,
        interfaceName,
        interfaceIndex,
        hopLimit,
        trafficClass,
        loop,
        sourceAddress);
  }

  public RawIpSocketOptions withSourceAddress(InetAddress source) {
    return new RawIpSocketOptions(
        family,
        protocol,
        interfaceName,
        interfaceIndex,
        hopLimit,
        trafficClass,
        multicastLoop,
        Optional.of(source));
  }
}
