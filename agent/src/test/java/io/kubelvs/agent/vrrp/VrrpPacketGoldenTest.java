package io.kubelvs.agent.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.vrrp.VrrpPacket.AuthType;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The codec against every advert keepalived 2.2.7 sent in the lab (golden/vrrp/*.txt): decoding
 * yields the fields the capture documents, and encoding those fields yields keepalived's bytes,
 * checksum included.
 */
class VrrpPacketGoldenTest {
  static final List<String> ADVERTS = VrrpPacketVectors.ADVERTS;

  @ParameterizedTest(name = "{0}")
  @FieldSource("ADVERTS")
  void decodesTheFieldsTheCaptureDocuments(String name) throws VrrpDecodeException {
    VrrpPacketVectors golden = VrrpPacketVectors.load(name);
    byte[] message = golden.vrrpMessage();

    VrrpPacket packet =
        VrrpPacket.decode(message, 0, message.length, golden.source(), golden.destination());

    assertThat(packet.version()).isEqualTo(golden.version());
    assertThat(packet.type()).isEqualTo(VrrpPacket.TYPE_ADVERTISEMENT);
    assertThat(packet.vrid()).isEqualTo(golden.intField("vrid"));
    assertThat(packet.priority()).isEqualTo(golden.intField("prio"));
    assertThat(packet.advertIntervalCentiseconds() + "cs").isEqualTo(golden.field("adv"));
    assertThat(packet.addressCount()).isEqualTo(1);
    assertThat(packet.addresses()).containsExactly(address(golden.field("addrs")));
    if (golden.version() == 2) {
      assertThat(packet.authType().code()).isEqualTo(golden.intField("auth_type"));
      assertThat(new String(packet.authData(), StandardCharsets.US_ASCII))
          .isEqualTo(golden.field("auth"));
    } else {
      assertThat(packet.authType()).isEqualTo(AuthType.NONE);
    }
    assertThat(golden.field("csum_ok")).isEqualTo("True");
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("ADVERTS")
  void encodingTheDocumentedFieldsGivesKeepalivedsBytes(String name) {
    VrrpPacketVectors golden = VrrpPacketVectors.load(name);
    List<InetAddress> vips = List.of(address(golden.field("addrs")));
    int centiseconds = Integer.parseInt(golden.field("adv").replace("cs", ""));
    VrrpPacket documented =
        golden.version() == 2
            ? VrrpPacket.v2WithPassword(
                golden.intField("vrid"),
                golden.intField("prio"),
                centiseconds / 100,
                golden.field("auth"),
                vips)
            : VrrpPacket.v3(golden.intField("vrid"), golden.intField("prio"), centiseconds, vips);

    byte[] encoded = documented.encode(golden.source(), golden.destination());

    assertThat(hex(encoded)).isEqualTo(hex(golden.vrrpMessage()));
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("ADVERTS")
  void decodesTheDatagramAsARawSocketReturnsIt(String name) throws VrrpDecodeException {
    VrrpPacketVectors golden = VrrpPacketVectors.load(name);
    byte[] datagram = golden.ipv4Datagram();
    assertThat(hex(datagram)).isEqualTo(hex(golden.ipHeader()) + hex(golden.vrrpMessage()));

    VrrpDecodedDatagram decoded = VrrpPacket.decodeIpv4Datagram(datagram, datagram.length);

    assertThat(decoded.source()).isEqualTo(golden.source());
    assertThat(decoded.destination()).isEqualTo(golden.destination());
    assertThat(decoded.ttl()).isEqualTo(golden.intField("ttl"));
    assertThat(decoded.tos()).isEqualTo(golden.intField("tos"));
    byte[] message = golden.vrrpMessage();
    assertThat(decoded.packet())
        .isEqualTo(
            VrrpPacket.decode(message, 0, message.length, golden.source(), golden.destination()));
  }

  @Test
  void decodesAMessageInTheMiddleOfABuffer() throws VrrpDecodeException {
    VrrpPacketVectors golden = VrrpPacketVectors.load("vrrpv3-224.0.100.99-prio100");
    byte[] datagram = golden.ipv4Datagram();

    VrrpPacket packet =
        VrrpPacket.decode(
            datagram, 20, datagram.length - 20, golden.source(), golden.destination());

    assertThat(packet.priority()).isEqualTo(100);
    assertThat(packet.advertInterval()).hasMillis(100);
  }

  @Test
  void priorityZeroOnShutdownIsTheSameAdvertWithPriorityZero() throws VrrpDecodeException {
    VrrpPacketVectors master = VrrpPacketVectors.load("vrrpv3-224.0.100.99-prio100");
    VrrpPacketVectors leaving = VrrpPacketVectors.load("vrrpv3-224.0.100.99-prio0");
    byte[] message = master.vrrpMessage();
    VrrpPacket advert =
        VrrpPacket.decode(message, 0, message.length, master.source(), master.destination());

    byte[] goodbye = advert.withPriority(0).encode(master.source(), master.destination());

    assertThat(hex(goodbye)).isEqualTo(hex(leaving.vrrpMessage()));
  }

  @Test
  void onlyTheV3ChecksumDependsOnTheMulticastGroup() {
    byte[] v2Default = VrrpPacketVectors.load("vrrpv2-224.0.0.18-prio0").vrrpMessage();
    byte[] v2Seed = VrrpPacketVectors.load("vrrpv2-224.0.100.99-prio0").vrrpMessage();
    byte[] v3Default = VrrpPacketVectors.load("vrrpv3-224.0.0.18-prio0").vrrpMessage();
    byte[] v3Seed = VrrpPacketVectors.load("vrrpv3-224.0.100.99-prio0").vrrpMessage();

    assertThat(hex(v2Seed)).isEqualTo(hex(v2Default));
    assertThat(withoutChecksum(v3Seed)).isEqualTo(withoutChecksum(v3Default));
    assertThat(hex(v3Seed)).isNotEqualTo(hex(v3Default));
  }

  @Test
  void theChecksumIsTheInternetChecksumOfThePseudoHeaderAndMessage() {
    VrrpPacketVectors golden = VrrpPacketVectors.load("vrrpv3-224.0.0.18-prio100");
    byte[] message = golden.vrrpMessage();

    int computed =
        VrrpChecksum.compute(3, message, 0, message.length, golden.source(), golden.destination());

    assertThat(computed).isEqualTo(0xfd9f); // bytes 6-7 of 31636401000afd9fc6120032
    assertThat(
            VrrpChecksum.verifies(
                3, message, 0, message.length, golden.source(), golden.destination()))
        .isTrue();
  }

  private static String withoutChecksum(byte[] message) {
    byte[] copy = message.clone();
    Arrays.fill(copy, VrrpPacket.CHECKSUM_OFFSET, VrrpPacket.CHECKSUM_OFFSET + 2, (byte) 0);
    return hex(copy);
  }

  private static InetAddress address(String literal) {
    return VrrpPacketVectors.address(literal);
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
