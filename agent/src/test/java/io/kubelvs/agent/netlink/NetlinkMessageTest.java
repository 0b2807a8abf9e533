package io.kubelvs.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubelvs.agent.testing.Hex;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NetlinkMessageTest {

  /**
   * What genl-ctrl-list sends to resolve "nlctrl": nlmsghdr (len 32, type 0x10, flags REQUEST|ACK,
   * seq 1, pid 0), genlmsghdr (CTRL_CMD_GETFAMILY, version 2), then CTRL_ATTR_FAMILY_NAME
   * "nlctrl\0" (nla_len 11) and one byte of padding.
   */
  static final String GETFAMILY_NLCTRL =
      "20000000 1000 0500 01000000 00000000" + "03 02 0000" + "0b00 0200 6e6c6374726c00 00";

  @BeforeAll
  static void littleEndianHost() {
    assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "golden bytes are x86-64's");
  }

  @Test
  void encodesGetFamilyRequestAsTheKernelExpectsIt() {
    NetlinkMessage message =
        GenericNetlink.message(
                Genetlink.GENL_ID_CTRL,
                new GenlHeader(Genetlink.CTRL_CMD_GETFAMILY, 2),
                new AttributeWriter().string(Genetlink.CTRL_ATTR_FAMILY_NAME, "nlctrl"))
            .withFlags(Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK)
            .withSequence(1);

    assertThat(Hex.of(message.encode())).isEqualTo(Hex.of(Hex.bytes(GETFAMILY_NLCTRL)));
  }

  @Test
  void decodesWhatItEncodes() {
    NetlinkMessage message = new NetlinkMessage(0xfffe, 0x0305, -7, 4242, new byte[] {1, 2, 3});

    assertThat(NetlinkMessage.decodeAll(message.encode())).containsExactly(message);
  }

  @Test
  void lengthCountsPayloadButPaddingOnlyOnTheWire() {
    NetlinkMessage message = NetlinkMessage.request(20, 0, new byte[5]);

    assertThat(message.length()).isEqualTo(21);
    assertThat(message.encodedLength()).isEqualTo(24);
    assertThat(message.encode()).hasSize(24).startsWith(0x15, 0, 0, 0);
  }

  @Test
  void decodesEveryMessageOfAMultiMessageDatagram() {
    NetlinkMessage first = new NetlinkMessage(16, Netlink.NLM_F_MULTI, 9, 1, new byte[] {1});
    NetlinkMessage second = new NetlinkMessage(16, Netlink.NLM_F_MULTI, 9, 1, new byte[8]);
    NetlinkMessage done = new NetlinkMessage(Netlink.NLMSG_DONE, 0, 9, 1, new byte[4]);
    ByteBuffer datagram = ByteBuffer.allocate(100);
    first.encodeTo(datagram);
    second.encodeTo(datagram);
    done.encodeTo(datagram);

    assertThat(datagram.position()).isEqualTo(20 + 24 + 20);
    assertThat(NetlinkMessage.decodeAll(datagram.flip())).containsExactly(first, second, done);
  }

  @Test
  void truncatedHeaderNamesItsOffset() {
    byte[] datagram = concat(NetlinkMessage.request(16, 0, new byte[4]).encode(), new byte[10]);

    assertThatThrownBy(() -> NetlinkMessage.decodeAll(datagram))
        .isInstanceOf(NetlinkFormatException.class)
        .hasMessage(
            "malformed netlink data at offset 20: only 10 bytes left, a nlmsghdr needs 16"
                + " (truncated)");
  }

  @Test
  void lengthPastTheEndOfTheDatagramIsReportedNotIndexedOutOfBounds() {
    byte[] datagram = NetlinkMessage.request(16, 0, new byte[8]).encode();
    byte[] cut = java.util.Arrays.copyOf(datagram, 20);

    assertThatThrownBy(() -> NetlinkMessage.decodeAll(cut))
        .isInstanceOf(NetlinkFormatException.class)
        .hasMessage(
            "malformed netlink data at offset 0: nlmsg_len 24 runs past the end of the data (20"
                + " bytes left)")
        .extracting(e -> ((NetlinkFormatException) e).offset())
        .isEqualTo(0);
  }

  @Test
  void lengthSmallerThanTheHeaderIsCorrupt() {
    byte[] datagram = NetlinkMessage.request(16, 0, new byte[0]).encode();
    datagram[0] = 8;

    assertThatThrownBy(() -> NetlinkMessage.decodeAll(datagram))
        .isInstanceOf(NetlinkFormatException.class)
        .hasMessageContaining("offset 0: nlmsg_len 8 is smaller than the 16-byte header");
  }

  @Test
  void hugeUnsignedLengthIsCorruptNotNegative() {
    byte[] datagram = NetlinkMessage.request(16, 0, new byte[0]).encode();
    datagram[3] = (byte) 0xff;

    assertThatThrownBy(() -> NetlinkMessage.decodeAll(datagram))
        .isInstanceOf(NetlinkFormatException.class)
        .hasMessageContaining("nlmsg_len 4278190096 runs past the end");
  }

  @Test
  void payloadIsACopySoMessagesStayImmutable() {
    byte[] payload = {1, 2};
    NetlinkMessage message = NetlinkMessage.request(16, 0, payload);
    payload[0] = 9;
    message.payload()[1] = 9;

    assertThat(message.payload()).containsExactly(1, 2);
  }

  @Test
  void attributesAfterAFamilyHeaderReportOffsetsFromTheMessageStart() {
    byte[] payload = concat(new GenlHeader(1, 1).encode(), new byte[] {9, 0, 1, 0, 7});
    NetlinkMessage message = NetlinkMessage.request(16, 0, payload);

    assertThatThrownBy(() -> message.attributes(GenlHeader.LENGTH))
        .isInstanceOf(NetlinkFormatException.class)
        .hasMessage(
            "malformed netlink data at offset 20: nla_len 9 of attribute type 1 runs past the end"
                + " (5 bytes left)");
  }

  @Test
  void rejectsTypesThatDoNotFitTheHeader() {
    assertThatThrownBy(() -> NetlinkMessage.request(0x10000, 0, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nlmsg_type 65536");
  }

  static byte[] concat(byte[]... parts) {
    ByteBuffer out = ByteBuffer.allocate(List.of(parts).stream().mapToInt(p -> p.length).sum());
    for (byte[] part : parts) {
      out.put(part);
    }
    return out.array();
  }
}
