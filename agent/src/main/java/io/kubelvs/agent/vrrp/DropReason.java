package io.kubelvs.agent.vrrp;

/**
 * Why a received VRRP advertisement was discarded; the receive checks of RFC 3768 §7.1 and RFC 5798
 * §7.1. Every drop is counted by reason. All but the last are found by the codec from the bytes
 * alone ({@link #detectedByDecoder()}); the last needs the virtual router's configuration and is
 * decided on the receive path of the instance.
 */
public enum DropReason {
  /** Fewer bytes than the fixed header being read: the IPv4 header, or the 8-byte VRRP header. */
  TOO_SHORT(true),
  /** The IPv4 header is inconsistent: IP version, header length, total length or protocol. */
  BAD_IP_HEADER(true),
  /** VRRP version other than 2 or 3, or version 2 over IPv6 (RFC 3768 is IPv4 only). */
  BAD_VERSION(true),
  /** VRRP type other than 1 (ADVERTISEMENT). */
  BAD_TYPE(true),
  /** Virtual Router ID 0; RFC 5798 §5.2.3 allows 1-255. */
  BAD_VRID(true),
  /** Count of addresses 0; RFC 5798 §5.2.5 requires at least one. */
  BAD_ADDRESS_COUNT(true),
  /** The message is not exactly as long as its version, count and address family require. */
  LENGTH_MISMATCH(true),
  /** The checksum does not verify (v2: over the message; v3: pseudo-header + message). */
  BAD_CHECKSUM(true),
  /** VRRPv2 Auth Type other than 0 (none) or 1 (simple text password). */
  BAD_AUTH_TYPE(true),
  /** Advertisement interval 0 (v2 seconds, v3 centiseconds). */
  BAD_ADVERT_INTERVAL(true),

  /**
   * IPv4 TTL or IPv6 hop limit not 255 in multicast mode: the sender is not on the link. Judged by
   * the receive path, which knows the mode; the codec only reports the TTL.
   */
  BAD_TTL(false);

  private final boolean detectedByDecoder;

  DropReason(boolean detectedByDecoder) {
    this.detectedByDecoder = detectedByDecoder;
  }

  /** Whether {@link VrrpPacket#decode} or {@link VrrpPacket#decodeIpv4Datagram} find this. */
  public boolean detectedByDecoder() {
    return detectedByDecoder;
  }
}
