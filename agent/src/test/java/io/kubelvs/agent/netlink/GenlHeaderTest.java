package io.kubelvs.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GenlHeaderTest {

  @Test
  void encodesCommandVersionAndZeroReserved() {
    assertThat(new GenlHeader(3, 2).encode()).containsExactly(3, 2, 0, 0);
  }

  @Test
  void roundTripsThroughAMessage() {
    NetlinkMessage message =
        GenericNetlink.message(0x1c, new GenlHeader(0xff, 1), new AttributeWriter().u8(1, 1));

    assertThat(GenlHeader.decode(message)).isEqualTo(new GenlHeader(0xff, 1));
    assertThat(message.attributes(GenlHeader.LENGTH).require(1, "x").u8()).isEqualTo(1);
  }

  @Test
  void shortPayloadIsCorrupt() {
    NetlinkMessage message = NetlinkMessage.request(0x1c, 0, new byte[2]);

    assertThatThrownBy(() -> GenlHeader.decode(message))
        .isInstanceOf(NetlinkFormatException.class)
        .hasMessageContaining("offset 16: payload of 2 bytes is too short for a 4-byte genlmsghdr");
  }
}
