package io.kubelvs.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class NetlinkAckTest {
  static final NetlinkMessage REQUEST =
      NetlinkMessage.request(Rtnetlink.RTM_NEWADDR, Netlink.NLM_F_REQUEST, new byte[12])
          .withSequence(7);

  @Test
  void zeroErrorIsAnAck() {
    NetlinkAck ack = NetlinkAck.decodeError(error(0, Netlink.NLM_F_CAPPED, false, null));

    assertThat(ack.isSuccess()).isTrue();
    assertThat(ack.kernelMessage()).isNull();
  }

  @Test
  void cappedErrorWithExtendedAckCarriesTheKernelsMessage() {
    NetlinkAck ack =
        NetlinkAck.decodeError(
            error(-17, Netlink.NLM_F_CAPPED | Netlink.NLM_F_ACK_TLVS, false, "Address in use"));

    assertThat(ack.errno()).isEqualTo(17);
    assertThat(ack.kernelMessage()).isEqualTo("Address in use");
    assertThat(ack.badAttributeOffset()).isEqualTo(20);
  }

  @Test
  void uncappedErrorSkipsTheEchoedRequestToFindTheExtendedAck() {
    NetlinkAck ack =
        NetlinkAck.decodeError(error(-22, Netlink.NLM_F_ACK_TLVS, true, "Invalid prefix"));

    assertThat(ack.errno()).isEqualTo(22);
    assertThat(ack.kernelMessage()).isEqualTo("Invalid prefix");
  }

  @Test
  void doneCarriesTheDumpsError() {
    byte[] payload = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(-95).array();

    NetlinkAck done =
        NetlinkAck.decodeDone(new NetlinkMessage(Netlink.NLMSG_DONE, 0, 1, 0, payload));

    assertThat(done.errno()).isEqualTo(95);
  }

  @Test
  void errorTooShortForNlmsgerrIsCorrupt() {
    NetlinkMessage shortError = new NetlinkMessage(Netlink.NLMSG_ERROR, 0, 1, 0, new byte[8]);

    assertThatThrownBy(() -> NetlinkAck.decodeError(shortError))
        .isInstanceOf(NetlinkFormatException.class)
        .hasMessageContaining(
            "offset 16: NLMSG_ERROR payload of 8 bytes; struct nlmsgerr needs 20");
  }

  @Test
  void echoedLengthBeyondThePayloadIsCorrupt() {
    NetlinkMessage message = error(-22, Netlink.NLM_F_ACK_TLVS, true, "x");
    byte[] payload = message.payload();
    payload[4] = (byte) 0xf0;

    NetlinkMessage corrupt =
        new NetlinkMessage(Netlink.NLMSG_ERROR, message.flags(), 7, 0, payload);

    assertThatThrownBy(() -> NetlinkAck.decodeError(corrupt))
        .isInstanceOf(NetlinkFormatException.class)
        .hasMessageContaining("offset 20: echoed request nlmsg_len 240 does not fit");
  }

  /** An NLMSG_ERROR as the kernel builds it in netlink_ack(). */
  static NetlinkMessage error(int error, int flags, boolean echoPayload, String kernelMessage) {
    byte[] echoed = echoPayload ? REQUEST.encode() : java.util.Arrays.copyOf(REQUEST.encode(), 16);
    AttributeWriter extended = new AttributeWriter();
    if (kernelMessage != null) {
      extended.string(Netlink.NLMSGERR_ATTR_MSG, kernelMessage).u32(Netlink.NLMSGERR_ATTR_OFFS, 20);
    }
    byte[] tlvs = extended.toByteArray();
    ByteBuffer payload =
        ByteBuffer.allocate(4 + echoed.length + tlvs.length).order(ByteOrder.nativeOrder());
    payload.putInt(error).put(echoed).put(tlvs);
    return new NetlinkMessage(Netlink.NLMSG_ERROR, flags, REQUEST.sequence(), 0, payload.array());
  }
}
