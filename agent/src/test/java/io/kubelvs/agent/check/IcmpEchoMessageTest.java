package io.kubelvs.agent.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubelvs.agent.testing.Hex;
import org.junit.jupiter.api.Test;

/**
 * ICMP echo messages against golden bytes: an echo request iputils' {@code ping -c1 -s 8 -p 6b61
 * 127.0.0.1} sent and the Linux kernel's reply, captured with tcpdump on lo (IPv4 headers cut).
 */
class IcmpEchoMessageTest {
  static final byte[] PING_REQUEST = Hex.bytes("0800 57f0 34ad 0001 6b61 0000 0000 0000");
  static final byte[] KERNEL_REPLY = Hex.bytes("0000 5ff0 34ad 0001 6b61 0000 0000 0000");
  static final byte[] DATA = Hex.bytes("6b61 0000 0000 0000");

  @Test
  void requestIsEncodedWithItsChecksumAsPingSendsIt() {
    assertThat(IcmpEchoMessage.request(true, 0x34ad, 1, DATA).encode()).isEqualTo(PING_REQUEST);
  }

  @Test
  void kernelsReplyDecodes() {
    IcmpEchoMessage reply = IcmpEchoMessage.decode(KERNEL_REPLY).orElseThrow();

    assertThat(reply.isReply()).isTrue();
    assertThat(reply.identifier()).isEqualTo(0x34ad);
    assertThat(reply.sequence()).isEqualTo(1);
    assertThat(reply.data()).isEqualTo(DATA);
  }

  @Test
  void replyWithAWrongChecksumIsRefused() {
    byte[] corrupted = KERNEL_REPLY.clone();
    corrupted[9] ^= 0x01;

    assertThat(IcmpEchoMessage.decode(corrupted)).isEmpty();
  }

  @Test
  void messageShorterThanTheHeaderIsRefused() {
    assertThat(IcmpEchoMessage.decode(Hex.bytes("0000 ffff 34ad 00"))).isEmpty();
  }

  @Test
  void otherTypesAreRefused() {
    // A destination unreachable (type 3) with a valid checksum is still not an echo.
    byte[] unreachable = Hex.bytes("0303 0000 0000 0000");
    int checksum = IcmpEchoMessage.checksum(unreachable);
    unreachable[2] = (byte) (checksum >>> 8);
    unreachable[3] = (byte) checksum;

    assertThat(IcmpEchoMessage.decode(unreachable)).isEmpty();
  }

  @Test
  void icmpv6RequestLeavesTheChecksumToTheKernel() {
    assertThat(IcmpEchoMessage.request(false, 0x1234, 0xfffe, DATA).encode())
        .isEqualTo(Hex.bytes("8000 0000 1234 fffe 6b61 0000 0000 0000"));
  }

  @Test
  void icmpv6ReplyDecodesWithoutAChecksumOfOurs() {
    IcmpEchoMessage reply =
        IcmpEchoMessage.decode(Hex.bytes("8100 abcd 1234 fffe 6b61")).orElseThrow();

    assertThat(reply.isReply()).isTrue();
    assertThat(reply.isIcmpv6()).isTrue();
    assertThat(reply.sequence()).isEqualTo(0xfffe);
  }

  @Test
  void sequenceBeyondSixteenBitsIsRefused() {
    assertThatThrownBy(() -> IcmpEchoMessage.request(true, 1, 0x10000, DATA))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sequence 65536");
  }
}
