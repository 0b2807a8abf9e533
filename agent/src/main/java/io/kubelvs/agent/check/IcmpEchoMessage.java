package io.kubelvs.agent.check;

import io.kubelvs.agent.sys.InternetChecksum;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * An ICMP echo request or reply (RFC 792) or ICMPv6 one (RFC 4443 §4.1), as bytes:
 *
 * <pre>
 *  0 type        8 echo request, 0 echo reply; ICMPv6: 128 request, 129 reply
 *  1 code        0
 *  2 checksum    be16, RFC 1071 over the message (ICMPv6: plus a pseudo-header; the kernel's job)
 *  4 identifier  be16
 *  6 sequence    be16
 *  8 data        returned unchanged by the echoer
 * </pre>
 */
public record IcmpEchoMessage(int type, int code, int identifier, int sequence, byte[] data) {
  public static final int ECHO_REPLY = 0;
  public static final int ECHO_REQUEST = 8;
  public static final int ICMPV6_ECHO_REQUEST = 128;
  public static final int ICMPV6_ECHO_REPLY = 129;
  static final int HEADER_LENGTH = 8;
  private static final int CHECKSUM_OFFSET = 2;
  private static final int IDENTIFIER_OFFSET = 4;
  private static final int SEQUENCE_OFFSET = 6;

  public IcmpEchoMessage {
    data = data.clone();
    checkField("type", type, 0xff);
    checkField("code", code, 0xff);
    checkField("identifier", identifier, 0xffff);
    checkField("sequence", sequence, 0xffff);
  }

  private static void checkField(String name, int value, int max) {
    if (value < 0 || value > max) {
      throw new IllegalArgumentException("ICMP echo " + name + " " + value + " is not 0-" + max);
    }
  }

  /** An echo request: ICMPv4 when {@code ipv4}, else ICMPv6. */
  public static IcmpEchoMessage request(boolean ipv4, int identifier, int sequence, byte[] data) {
    return new IcmpEchoMessage(
        ipv4 ? ECHO_REQUEST : ICMPV6_ECHO_REQUEST, 0, identifier, sequence, data);
  }

  /**
   * The message's bytes. ICMPv4 carries its checksum; ICMPv6's stays 0 for the kernel to fill in,
   * as it does on every raw ICMPv6 socket (RFC 3542 §3.1), with the pseudo-header it alone knows.
   */
  public byte[] encode() {
    byte[] out = new byte[HEADER_LENGTH + data.length];
    out[0] = (byte) type;
    out[1] = (byte) code;
    putShort(out, IDENTIFIER_OFFSET, identifier);
    putShort(out, SEQUENCE_OFFSET, sequence);
    System.arraycopy(data, 0, out, HEADER_LENGTH, data.length);
    if (!isIcmpv6()) {
      putShort(out, CHECKSUM_OFFSET, checksum(out));
    }
    return out;
  }

  /**
   * Decodes an echo request or reply; empty for anything shorter than the header, of another type,
   * or (ICMPv4) with a wrong checksum. ICMPv6 checksums were verified by the kernel.
   */
  public static Optional<IcmpEchoMessage> decode(byte[] message) {
    if (message.length < HEADER_LENGTH) {
      return Optional.empty();
    }
    int type = Byte.toUnsignedInt(message[0]);
    boolean icmpv4 = type == ECHO_REQUEST || type == ECHO_REPLY;
    boolean icmpv6 = type == ICMPV6_ECHO_REQUEST || type == ICMPV6_ECHO_REPLY;
    if (!icmpv4 && !icmpv6) {
      return Optional.empty();
    }
    // Summing a message with its checksum in place gives 0 when it is intact (RFC 1071 §1).
    if (icmpv4 && checksum(message) != 0) {
      return Optional.empty();
    }
    return Optional.of(
        new IcmpEchoMessage(
            type,
            Byte.toUnsignedInt(message[1]),
            getShort(message, IDENTIFIER_OFFSET),
            getShort(message, SEQUENCE_OFFSET),
            Arrays.copyOfRange(message, HEADER_LENGTH, message.length)));
  }

  public boolean isReply() {
    return type == ECHO_REPLY || type == ICMPV6_ECHO_REPLY;
  }

  public boolean isIcmpv6() {
    return type >= ICMPV6_ECHO_REQUEST;
  }

  /** The Internet checksum of RFC 1071 over the whole message. */
  static int checksum(byte[] bytes) {
    return InternetChecksum.of(bytes, 0, bytes.length);
  }

  private static void putShort(byte[] out, int offset, int value) {
    out[offset] = (byte) (value >>> 8);
    out[offset + 1] = (byte) value;
  }

  private static int getShort(byte[] in, int offset) {
    return (Byte.toUnsignedInt(in[offset]) << 8) | Byte.toUnsignedInt(in[offset + 1]);
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IcmpEchoMessage that
        && type == that.type
        && code == that.code
        && identifier == that.identifier
        && sequence == that.sequence
        && Arrays.equals(data, that.data);
  }

  @Override
  public int hashCode() {
    return ((type * 31 + code) * 31 + identifier) * 31 + sequence + 17 * Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "IcmpEchoMessage[type="
        + type
        + ", code="
        + code
        + ", identifier="
        + identifier
        + ", sequence="
        + sequence
        + ", data="
        + HexFormat.of().formatHex(data)
        + "]";
  }
}
