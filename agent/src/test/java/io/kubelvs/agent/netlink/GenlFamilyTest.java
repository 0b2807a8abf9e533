package io.kubelvs.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubelvs.agent.netlink.GenlFamily.MulticastGroup;
import io.kubelvs.agent.testing.Hex;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Golden bytes captured from iproute2's {@code genl ctrl get name nlctrl} (see the resources). */
class GenlFamilyTest {

  @BeforeAll
  static void littleEndianHost() {
    assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "captured on x86-64");
  }

  @Test
  void encodesTheSameGetFamilyRequestAsIproute2() {
    NetlinkMessage request =
        GenericNetlink.message(
                Genetlink.GENL_ID_CTRL,
                new GenlHeader(Genetlink.CTRL_CMD_GETFAMILY, 0),
                new AttributeWriter().string(Genetlink.CTRL_ATTR_FAMILY_NAME, "nlctrl"))
            .withFlags(Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK)
            .withSequence(1795638400);

    assertThat(Hex.of(request.encode()))
        .isEqualTo(Hex.of(Hex.resource("genl-ctrl-get-nlctrl.request.hex")));
  }

  @Test
  void decodesTheKernelsFamilyReply() {
    List<NetlinkMessage> datagram =
        NetlinkMessage.decodeAll(Hex.resource("genl-ctrl-get-nlctrl.reply.hex"));

    assertThat(datagram)
        .singleElement()
        .satisfies(m -> assertThat(m.sequence()).isEqualTo(1795638400));
    assertThat(GenlHeader.decode(datagram.get(0)))
        .isEqualTo(new GenlHeader(Genetlink.CTRL_CMD_NEWFAMILY, 2));
    assertThat(GenlFamily.decode(datagram.get(0)))
        .isEqualTo(
            new GenlFamily("nlctrl", 0x10, 2, 0, 0, List.of(new MulticastGroup("notify", 0x10))));
  }

  @Test
  void replyWithoutAFamilyIdIsCorrupt() {
    NetlinkMessage reply =
        GenericNetlink.message(
            Genetlink.GENL_ID_CTRL,
            new GenlHeader(Genetlink.CTRL_CMD_NEWFAMILY, 2),
            new AttributeWriter().string(Genetlink.CTRL_ATTR_FAMILY_NAME, "IPVS"));

    assertThatThrownBy(() -> GenlFamily.decode(reply))
        .isInstanceOf(NetlinkFormatException.class)
        .hasMessageContaining("CTRL_ATTR_FAMILY_ID is missing");
  }
}
