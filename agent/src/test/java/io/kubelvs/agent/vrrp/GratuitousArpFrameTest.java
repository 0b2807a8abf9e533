package io.kubelvs.agent.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The gratuitous ARP against the one keepalived 2.2.7 sent on becoming master (golden/vrrp/). */
class GratuitousArpFrameTest {
  /** d1's MAC and the VIP, from the capture's header comment. */
  private static final byte[] D1_MAC = HexFormat.ofDelimiter(":").parseHex("02:00:c6:12:00:0b");

  private static final Inet4Address VIP = (Inet4Address) VrrpPacketVectors.address("198.18.0.50");

  @Test
  void isByteForByteTheFrameKeepalivedSends() {
    VrrpPacketVectors keepalived = VrrpPacketVectors.load(VrrpPacketVectors.GARP);

    byte[] frame = GratuitousArpFrame.build(D1_MAC, VIP);

    assertThat(hex(frame)).isEqualTo(hex(keepalived.frame()));
    assertThat(frame).hasSize(GratuitousArpFrame.LENGTH);
    assertThat(hex(Arrays.copyOfRange(frame, GratuitousArpFrame.ETHERNET_HEADER_LENGTH, 42)))
        .isEqualTo(hex(keepalived.arpPayload()));
  }

  @Test
  void announcesTheVipAsBothSenderAndTargetFromTheInterfaceMac() {
    byte[] frame = GratuitousArpFrame.build(D1_MAC, VIP);

    assertThat(slice(frame, GratuitousArpFrame.ETHERNET_SOURCE_OFFSET, 6)).isEqualTo(D1_MAC);
    assertThat(slice(frame, GratuitousArpFrame.ARP_SENDER_MAC_OFFSET, 6)).isEqualTo(D1_MAC);
    assertThat(slice(frame, GratuitousArpFrame.ARP_SENDER_IP_OFFSET, 4))
        .isEqualTo(VIP.getAddress());
    assertThat(slice(frame, GratuitousArpFrame.ARP_TARGET_IP_OFFSET, 4))
        .isEqualTo(VIP.getAddress());
    assertThat(frame[GratuitousArpFrame.ARP_OPERATION_OFFSET + 1])
        .isEqualTo((byte) GratuitousArpFrame.ARP_OPERATION_REQUEST);
  }

  @Test
  void rejectsAMacThatIsNotSixBytes() {
    assertThatThrownBy(() -> GratuitousArpFrame.build(new byte[5], VIP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("6 bytes");
  }

  private static byte[] slice(byte[] frame, int offset, int length) {
    return Arrays.copyOfRange(frame, offset, offset + length);
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
