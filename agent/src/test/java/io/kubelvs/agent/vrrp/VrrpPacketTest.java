package io.kubelvs.agent.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a VrrpPacket value accepts: only what can go on the wire. */
class VrrpPacketTest {
  private static final List<InetAddress> VIP = List.of(VrrpPacketVectors.address("198.18.0.50"));

  @Test
  void v2IntervalsAreWholeSecondsHeldInCentiseconds() {
    VrrpPacket packet = VrrpPacket.v2(99, 100, 3, VIP);

    assertThat(packet.advertIntervalCentiseconds()).isEqualTo(300);
    assertThat(packet.advertInterval()).hasSeconds(3);
    assertThatThrownBy(
            () -> new VrrpPacket(2, 99, 100, VrrpPacket.AuthType.NONE, new byte[8], 150, VIP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("150 cs");
  }

  @Test
  void v3IntervalsFitTwelveBits() {
    assertThat(VrrpPacket.v3(99, 100, 4095, VIP).advertInterval()).hasMillis(40_950);
    assertThatThrownBy(() -> VrrpPacket.v3(99, 100, 4096, VIP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4096 cs");
    assertThatThrownBy(() -> VrrpPacket.v3(99, 100, 0, VIP))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPasswordIsAtMostEightBytesZeroPadded() {
    assertThat(VrrpPacket.passwordAuthData("pw"))
        .isEqualTo(new byte[] {'p', 'w', 0, 0, 0, 0, 0, 0});
    assertThatThrownBy(() -> VrrpPacket.passwordAuthData("123456789"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("9 bytes");
  }

  @Test
  void vridZeroAndAnEmptyAddressListAreRejected() {
    assertThatThrownBy(() -> VrrpPacket.v3(0, 100, 10, VIP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("VRID 0");
    assertThatThrownBy(() -> VrrpPacket.v3(99, 100, 10, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 addresses");
  }

  @Test
  void addressesAreAllOfOneFamilyAndV2IsIpv4Only() {
    InetAddress v6 = VrrpPacketVectors.address("2001:2::50");

    assertThatThrownBy(() -> VrrpPacket.v3(99, 100, 10, List.of(VIP.get(0), v6)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mix");
    assertThatThrownBy(() -> VrrpPacket.v2(99, 100, 1, List.of(v6)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("IPv4 addresses only");
  }

  @Test
  void valuesCompareByContentAndTheAuthDataCannotBeChangedFromOutside() {
    VrrpPacket packet = VrrpPacket.v2WithPassword(99, 100, 1, "571f97b2", VIP);
    packet.authData()[0] = 'X';

    assertThat(packet).isEqualTo(VrrpPacket.v2WithPassword(99, 100, 1, "571f97b2", VIP));
    assertThat(packet).isNotEqualTo(VrrpPacket.v2WithPassword(99, 100, 1, "other", VIP));
    assertThat(new String(packet.authData(), StandardCharsets.US_ASCII)).isEqualTo("571f97b2");
  }

  @Test
  void withPriorityChangesOnlyThePriority() {
    VrrpPacket master = VrrpPacket.v2WithPassword(99, 100, 1, "571f97b2", VIP);

    assertThat(master.withPriority(0))
        .isEqualTo(VrrpPacket.v2WithPassword(99, 0, 1, "571f97b2", VIP));
  }

  @Test
  void toStringIsOneLogLineWithoutThePassword() {
    VrrpPacket packet = VrrpPacket.v2WithPassword(99, 100, 1, "571f97b2", VIP);

    assertThat(packet.toString())
        .isEqualTo(
            "VRRPv2 vrid=99 priority=100 advertInterval=100cs auth=SIMPLE_TEXT_PASSWORD"
                + " addresses=[198.18.0.50]")
        .doesNotContain("571f97b2");
  }
}
