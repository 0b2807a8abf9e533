package io.kubelvs.agent.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * VRRPv3 over IPv6 (RFC 5798 §5.1.2): from the sender's link-local address to ff02::12, 16-byte
 * addresses, the checksum over the IPv6 pseudo-header of RFC 8200 §8.1. The expected checksums were
 * computed by hand, independently of the codec, twice: by {@link #handChecksum} below and offline
 * (Python's struct over the same bytes), giving the constants.
 */
class VrrpPacketIpv6Test {
  private static final Inet6Address SOURCE = VrrpPacketVectors.ipv6("fe80::c6:12ff:fe00:b");
  private static final Inet6Address ALL_VRRP_ROUTERS = VrrpPacketVectors.ipv6("ff02::12");
  private static final Inet6Address VIP = VrrpPacketVectors.ipv6("2001:2::50");
  private static final Inet6Address VIP2 = VrrpPacketVectors.ipv6("2001:2::51");

  @Test
  void encodesWithTheChecksumOverTheIpv6PseudoHeader() {
    VrrpPacket packet = VrrpPacket.v3(99, 100, 10, List.of(VIP));

    byte[] message = packet.encode(SOURCE, ALL_VRRP_ROUTERS);

    assertThat(hex(message)).isEqualTo("31636401000a3a4f20010002000000000000000000000050");
    assertThat(checksumField(message)).isEqualTo(handChecksum(SOURCE, ALL_VRRP_ROUTERS, message));
  }

  @Test
  void twoAddressesAndTheLongestInterval() {
    VrrpPacket packet = VrrpPacket.v3(7, 255, 4095, List.of(VIP, VIP2));

    byte[] message = packet.encode(SOURCE, ALL_VRRP_ROUTERS);

    assertThat(hex(message))
        .isEqualTo(
            "3107ff020fff6f50"
                + "20010002000000000000000000000050"
                + "20010002000000000000000000000051");
    assertThat(checksumField(message)).isEqualTo(handChecksum(SOURCE, ALL_VRRP_ROUTERS, message));
  }

  @Test
  void decodesWhatItEncodes() throws VrrpDecodeException {
    VrrpPacket packet = VrrpPacket.v3(99, 100, 10, List.of(VIP, VIP2));
    byte[] message = packet.encode(SOURCE, ALL_VRRP_ROUTERS);

    VrrpPacket decoded = VrrpPacket.decode(message, 0, message.length, SOURCE, ALL_VRRP_ROUTERS);

    assertThat(decoded).isEqualTo(packet);
    assertThat(decoded.isIpv6()).isTrue();
    assertThat(decoded.length()).isEqualTo(8 + 2 * 16);
  }

  @Test
  void theChecksumCoversTheSourceAddress() {
    byte[] message = VrrpPacket.v3(99, 100, 10, List.of(VIP)).encode(SOURCE, ALL_VRRP_ROUTERS);
    InetAddress otherSource = VrrpPacketVectors.address("fe80::c6:12ff:fe00:c");

    assertThatThrownBy(
            () -> VrrpPacket.decode(message, 0, message.length, otherSource, ALL_VRRP_ROUTERS))
        .isInstanceOfSatisfying(
            VrrpDecodeException.class,
            e -> assertThat(e.reason()).isEqualTo(DropReason.BAD_CHECKSUM));
  }

  @Test
  void anIpv4MappedAddressStaysAnIpv6Address() throws VrrpDecodeException {
    Inet6Address mapped = VrrpPacketVectors.ipv6("::ffff:198.18.0.50");
    byte[] message = VrrpPacket.v3(99, 100, 10, List.of(mapped)).encode(SOURCE, ALL_VRRP_ROUTERS);

    VrrpPacket decoded = VrrpPacket.decode(message, 0, message.length, SOURCE, ALL_VRRP_ROUTERS);

    assertThat(decoded.addresses()).hasSize(1).allMatch(a -> a instanceof Inet6Address);
    assertThat(decoded.addresses().get(0).getAddress()).isEqualTo(mapped.getAddress());
  }

  @Test
  void ipv6AddressesCannotBeSentFromAnIpv4Source() {
    VrrpPacket packet = VrrpPacket.v3(99, 100, 10, List.of(VIP));

    assertThatThrownBy(
            () ->
                packet.encode(
                    VrrpPacketVectors.address("198.18.0.11"),
                    VrrpPacketVectors.address("224.0.0.18")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("IPv6");
  }

  /**
   * RFC 1071 the slow, obvious way: the pseudo-header written out byte by byte (source,
   * destination, 32-bit length, three zero bytes, next header 112), the message with its checksum
   * field zeroed, summed as 16-bit words, carries folded, complemented.
   */
  static int handChecksum(Inet6Address source, Inet6Address destination, byte[] message) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(source.getAddress());
    all.writeBytes(destination.getAddress());
    all.writeBytes(new byte[] {0, 0, (byte) (message.length >> 8), (byte) message.length});
    all.writeBytes(new byte[] {0, 0, 0, 112});
    byte[] zeroed = message.clone();
    zeroed[6] = 0;
    zeroed[7] = 0;
    all.writeBytes(zeroed);
    byte[] bytes = Arrays.copyOf(all.toByteArray(), (all.size() + 1) / 2 * 2);
    int sum = 0;
    for (int i = 0; i < bytes.length; i += 2) {
      sum += ((bytes[i] & 0xff) << 8) + (bytes[i + 1] & 0xff);
    }
    while (sum > 0xffff) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return ~sum & 0xffff;
  }

  private static int checksumField(byte[] message) {
    return ((message[6] & 0xff) << 8) | (message[7] & 0xff);
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
