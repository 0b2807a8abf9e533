package io.kubelvs.agent.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.Inet6Address;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The unsolicited Neighbor Advertisement against the one the Linux kernel sends for a new address
 * with ndisc_notify (golden/vrrp/na-linux-ndisc_notify.txt), which has keepalived's layout.
 */
class NeighborAdvertisementFrameTest {
  private static final byte[] MAC = HexFormat.ofDelimiter(":").parseHex("02:00:c6:12:00:0b");
  private static final Inet6Address VIP = VrrpPacketVectors.ipv6("2001:2::50");

  @Test
  void isByteForByteTheAdvertisementTheKernelSends() {
    VrrpPacketVectors kernel = VrrpPacketVectors.load("na-linux-ndisc_notify");

    byte[] frame = NeighborAdvertisementFrame.build(MAC, VIP, false);

    assertThat(hex(frame)).isEqualTo(hex(kernel.frame()));
    assertThat(frame).hasSize(NeighborAdvertisementFrame.LENGTH);
  }

  @Test
  void aRouterSetsTheRouterFlagAndTheChecksumFollows() {
    byte[] frame = NeighborAdvertisementFrame.build(MAC, VIP, true);

    assertThat(frame[NeighborAdvertisementFrame.NA_FLAGS_OFFSET] & 0xff).isEqualTo(0xa0);
    assertThat(checksumField(frame)).isEqualTo(handChecksum(frame));
  }

  @Test
  void theChecksumCoversTheIpv6PseudoHeader() {
    byte[] frame =
        NeighborAdvertisementFrame.build(MAC, VrrpPacketVectors.ipv6("2001:2::1:7"), false);

    assertThat(checksumField(frame)).isEqualTo(handChecksum(frame));
  }

  @Test
  void goesFromTheVipToAllNodesWithHopLimit255() {
    byte[] frame = NeighborAdvertisementFrame.build(MAC, VIP, false);

    assertThat(hex(slice(frame, 0, 6))).isEqualTo("333300000001");
    assertThat(slice(frame, NeighborAdvertisementFrame.IPV6_SOURCE_OFFSET, 16))
        .isEqualTo(VIP.getAddress());
    assertThat(hex(slice(frame, NeighborAdvertisementFrame.IPV6_DESTINATION_OFFSET, 16)))
        .isEqualTo("ff020000000000000000000000000001");
    assertThat(frame[NeighborAdvertisementFrame.IPV6_HOP_LIMIT_OFFSET] & 0xff).isEqualTo(255);
    assertThat(slice(frame, NeighborAdvertisementFrame.NA_TARGET_OFFSET, 16))
        .isEqualTo(VIP.getAddress());
    assertThat(slice(frame, NeighborAdvertisementFrame.NA_OPTION_MAC_OFFSET, 6)).isEqualTo(MAC);
  }

  @Test
  void rejectsAMacThatIsNotSixBytes() {
    assertThatThrownBy(() -> NeighborAdvertisementFrame.build(new byte[8], VIP, false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * RFC 4443 §2.3 by hand: the IPv6 pseudo-header written out (source and destination from the
   * frame, 32-bit length 32, three zeros, next header 58), then the ICMPv6 message with its
   * checksum zeroed, summed as 16-bit words, carries folded, complemented.
   */
  private static int handChecksum(byte[] frame) {
    int icmp = NeighborAdvertisementFrame.ICMPV6_OFFSET;
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.write(frame, NeighborAdvertisementFrame.IPV6_SOURCE_OFFSET, 32);
    all.writeBytes(new byte[] {0, 0, 0, 32, 0, 0, 0, 58});
    byte[] message = slice(frame, icmp, 32);
    message[2] = 0;
    message[3] = 0;
    all.writeBytes(message);
    byte[] bytes = all.toByteArray();
    int sum = 0;
    for (int i = 0; i < bytes.length; i += 2) {
      sum += ((bytes[i] & 0xff) << 8) + (bytes[i + 1] & 0xff);
    }
    while (sum > 0xffff) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return ~sum & 0xffff;
  }

  private static int checksumField(byte[] frame) {
    int at = NeighborAdvertisementFrame.ICMPV6_CHECKSUM_OFFSET;
    return ((frame[at] & 0xff) << 8) | (frame[at + 1] & 0xff);
  }

  private static byte[] slice(byte[] frame, int offset, int length) {
    return Arrays.copyOfRange(frame, offset, offset + length);
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
