package io.kubelvs.agent.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Every malformed field of a received advert, each on a keepalived advert with just that field
 * changed, is dropped for its own reason, with a message that names the field, offset and value.
 * Where a check comes after the checksum's, the checksum is recomputed so that the field alone is
 * wrong.
 */
class VrrpPacketDropTest {
  private static final VrrpPacketVectors V2 = VrrpPacketVectors.load("vrrpv2-224.0.100.99-prio100");
  private static final VrrpPacketVectors V3 = VrrpPacketVectors.load("vrrpv3-224.0.100.99-prio100");
  private static final InetAddress LINK_LOCAL = VrrpPacketVectors.address("fe80::c6:12ff:fe00:b");
  private static final InetAddress ALL_VRRP_V6 = VrrpPacketVectors.address("ff02::12");

  @Test
  void messageShorterThanTheFixedHeaderIsTooShort() {
    byte[] seven = Arrays.copyOf(V3.vrrpMessage(), 7);

    assertDrop(() -> decode(V3, seven), DropReason.TOO_SHORT, "7 bytes", "needs 8");
  }

  @Test
  void version1IsBadVersion() {
    byte[] message = withByte(V3, VrrpPacket.VERSION_TYPE_OFFSET, 0x11, false);

    assertDrop(() -> decode(V3, message), DropReason.BAD_VERSION, "version 1 at offset 0", "0x11");
  }

  @Test
  void version4IsBadVersion() {
    byte[] message = withByte(V3, VrrpPacket.VERSION_TYPE_OFFSET, 0x41, false);

    assertDrop(() -> decode(V3, message), DropReason.BAD_VERSION, "version 4 at offset 0", "0x41");
  }

  @Test
  void version2OverIpv6IsBadVersion() {
    byte[] message = V2.vrrpMessage();

    assertDrop(
        () -> VrrpPacket.decode(message, 0, message.length, LINK_LOCAL, ALL_VRRP_V6),
        DropReason.BAD_VERSION,
        "version 2",
        "IPv4 only");
  }

  @Test
  void type2IsBadType() {
    byte[] message = withByte(V3, VrrpPacket.VERSION_TYPE_OFFSET, 0x32, true);

    assertDrop(() -> decode(V3, message), DropReason.BAD_TYPE, "type 2 at offset 0", "0x32");
  }

  @Test
  void vrid0IsBadVrid() {
    byte[] message = withByte(V3, VrrpPacket.VRID_OFFSET, 0, true);

    assertDrop(() -> decode(V3, message), DropReason.BAD_VRID, "VRID 0 at offset 1");
  }

  @Test
  void addressCount0IsBadAddressCount() {
    byte[] message = withByte(V3, VrrpPacket.COUNT_OFFSET, 0, true);

    assertDrop(
        () -> decode(V3, message), DropReason.BAD_ADDRESS_COUNT, "address count 0 at offset 3");
  }

  @Test
  void countOfTwoWithOneAddressIsLengthMismatch() {
    byte[] message = withByte(V3, VrrpPacket.COUNT_OFFSET, 2, true);

    assertDrop(
        () -> decode(V3, message),
        DropReason.LENGTH_MISMATCH,
        "message of 12 bytes",
        "address count 2 at offset 3",
        "needs 16");
  }

  @Test
  void aTrailingByteIsLengthMismatch() {
    byte[] message = Arrays.copyOf(V3.vrrpMessage(), 13);

    assertDrop(
        () -> decode(V3, message), DropReason.LENGTH_MISMATCH, "message of 13 bytes", "needs 12");
  }

  @Test
  void v2WithoutItsAuthenticationDataIsLengthMismatch() {
    byte[] message = Arrays.copyOf(V2.vrrpMessage(), 12);

    assertDrop(
        () -> decode(V2, message), DropReason.LENGTH_MISMATCH, "message of 12 bytes", "needs 20");
  }

  @Test
  void aFlippedBitIsBadChecksum() {
    byte[] message = V3.vrrpMessage();
    message[VrrpPacket.ADDRESSES_OFFSET + 3] ^= 0x01; // 198.18.0.50 -> 198.18.0.51

    assertDrop(
        () -> decode(V3, message),
        DropReason.BAD_CHECKSUM,
        "checksum 0x994e at offset 6",
        "computed 0x994d");
  }

  @Test
  void aV3ChecksumForAnotherGroupIsBadChecksum() {
    byte[] message = V3.vrrpMessage(); // sent to 224.0.100.99

    assertDrop(
        () ->
            VrrpPacket.decode(
                message, 0, message.length, V3.source(), VrrpPacketVectors.address("224.0.0.18")),
        DropReason.BAD_CHECKSUM,
        "198.18.0.11 > 224.0.0.18");
  }

  @Test
  void v2AuthType2IsBadAuthType() {
    byte[] message = withByte(V2, VrrpPacket.AUTH_TYPE_OFFSET, 2, true);

    assertDrop(() -> decode(V2, message), DropReason.BAD_AUTH_TYPE, "auth type 2 at offset 4");
  }

  @Test
  void v2AdvertInterval0IsBadAdvertInterval() {
    byte[] message = withByte(V2, VrrpPacket.V2_ADVERT_INTERVAL_OFFSET, 0, true);

    assertDrop(
        () -> decode(V2, message), DropReason.BAD_ADVERT_INTERVAL, "interval 0 s at offset 5");
  }

  @Test
  void v3AdvertInterval0IsBadAdvertInterval() {
    byte[] message = withByte(V3, VrrpPacket.V3_ADVERT_INTERVAL_OFFSET + 1, 0, true);

    assertDrop(
        () -> decode(V3, message), DropReason.BAD_ADVERT_INTERVAL, "interval 0 cs at offset 4");
  }

  @Test
  void v3ReservedBitsAreIgnored() throws VrrpDecodeException {
    byte[] message = withByte(V3, VrrpPacket.V3_ADVERT_INTERVAL_OFFSET, 0xf0, true);

    assertThat(decode(V3, message).advertIntervalCentiseconds()).isEqualTo(10);
  }

  @Test
  void v2WithoutAuthenticationIsAccepted() throws VrrpDecodeException {
    byte[] message = withByte(V2, VrrpPacket.AUTH_TYPE_OFFSET, 0, true);

    assertThat(decode(V2, message).authType()).isEqualTo(VrrpPacket.AuthType.NONE);
  }

  @Test
  void datagramShorterThanAnIpv4HeaderIsTooShort() {
    byte[] datagram = Arrays.copyOf(V3.ipv4Datagram(), 19);

    assertDrop(
        () -> VrrpPacket.decodeIpv4Datagram(datagram, 19),
        DropReason.TOO_SHORT,
        "19 bytes",
        "needs 20");
  }

  @Test
  void ipVersion6InTheIpv4HeaderIsBadIpHeader() {
    byte[] datagram = V3.ipv4Datagram();
    datagram[0] = 0x65;

    assertDrop(() -> decodeDatagram(datagram), DropReason.BAD_IP_HEADER, "IP version 6");
  }

  @Test
  void ihlBelow5IsBadIpHeader() {
    byte[] datagram = V3.ipv4Datagram();
    datagram[0] = 0x44;

    assertDrop(() -> decodeDatagram(datagram), DropReason.BAD_IP_HEADER, "IHL 4 at IP offset 0");
  }

  @Test
  void ihlBeyondTheDatagramIsTooShort() {
    byte[] datagram = V3.ipv4Datagram();
    datagram[0] = 0x4f;

    assertDrop(
        () -> decodeDatagram(datagram), DropReason.TOO_SHORT, "header alone has 60", "32 bytes");
  }

  @Test
  void protocolOtherThan112IsBadIpHeader() {
    byte[] datagram = V3.ipv4Datagram();
    datagram[VrrpDecodedDatagram.IPV4_PROTOCOL_OFFSET] = 17;

    assertDrop(
        () -> decodeDatagram(datagram), DropReason.BAD_IP_HEADER, "IP protocol 17 at IP offset 9");
  }

  @Test
  void totalLengthOtherThanWhatWasReceivedIsLengthMismatch() {
    byte[] datagram = Arrays.copyOf(V3.ipv4Datagram(), 36); // 4 bytes more than total length 32

    assertDrop(
        () -> VrrpPacket.decodeIpv4Datagram(datagram, 36),
        DropReason.LENGTH_MISMATCH,
        "IP total length 32 at IP offset 2",
        "36 bytes were received");
  }

  @Test
  void ipOptionsAreSkipped() throws VrrpDecodeException {
    byte[] golden = V3.ipv4Datagram();
    byte[] datagram = new byte[golden.length + 4];
    System.arraycopy(golden, 0, datagram, 0, 20);
    datagram[0] = 0x46; // IHL 6: one option word, the Router Alert option (RFC 2113)
    datagram[3] = (byte) datagram.length;
    datagram[20] = (byte) 0x94;
    datagram[21] = 0x04;
    System.arraycopy(golden, 20, datagram, 24, golden.length - 20);

    VrrpDecodedDatagram decoded = decodeDatagram(datagram);

    assertThat(decoded.packet().vrid()).isEqualTo(99);
    assertThat(decoded.ttl()).isEqualTo(255);
  }

  private static void assertDrop(ThrowingCallable decode, DropReason reason, String... inMessage) {
    assertThatThrownBy(decode)
        .isInstanceOfSatisfying(
            VrrpDecodeException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .message()
        .contains(inMessage);
  }

  private static VrrpPacket decode(VrrpPacketVectors golden, byte[] message)
      throws VrrpDecodeException {
    return VrrpPacket.decode(message, 0, message.length, golden.source(), golden.destination());
  }

  private static VrrpDecodedDatagram decodeDatagram(byte[] datagram) throws VrrpDecodeException {
    return VrrpPacket.decodeIpv4Datagram(datagram, datagram.length);
  }

  /** The golden message with one byte changed and, if asked, its checksum made valid again. */
  private static byte[] withByte(
      VrrpPacketVectors golden, int offset, int value, boolean fixChecksum) {
    byte[] message = golden.vrrpMessage();
    message[offset] = (byte) value;
    if (fixChecksum) {
      VrrpPacketMutations.fixChecksum(
          golden.version(), message, 0, message.length, golden.source(), golden.destination());
    }
    return message;
  }
}
