package io.kubelvs.agent.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** RFC 1071 and the pseudo-headers, against the RFC's example and headers the kernel wrote. */
class InternetChecksumTest {

  @Test
  void rfc1071WorkedExample() {
    // RFC 1071 §3: the one's complement sum of 0001 f203 f4f5 f6f7 is ddf2.
    byte[] data = bytes("0001f203f4f5f6f7");

    assertThat(InternetChecksum.of(data, 0, data.length)).isEqualTo(~0xddf2 & 0xffff);
  }

  @Test
  void anOddLastByteIsPaddedWithZero() {
    assertThat(InternetChecksum.of(bytes("01"), 0, 1)).isEqualTo(~0x0100 & 0xffff);
    assertThat(InternetChecksum.of(bytes("0102ab"), 0, 3))
        .isEqualTo(InternetChecksum.of(bytes("0102ab00"), 0, 4));
  }

  @Test
  void verifiesTheHeaderChecksumTheKernelWrote() {
    // IPv4 header of keepalived's v3 advert (golden/vrrp/vrrpv3-224.0.0.18-prio100.txt).
    byte[] header = bytes("45c0002000010000ff70147dc612000be0000012");

    assertThat(InternetChecksum.of(header, 0, header.length)).isZero();
    header[10] = 0;
    header[11] = 0;
    assertThat(InternetChecksum.of(header, 0, header.length)).isEqualTo(0x147d);
  }

  @Test
  void summingInPiecesIsSummingTheWhole() {
    byte[] data = bytes("45c0002000010000ff70147dc612000be000001231");

    long pieces = InternetChecksum.add(InternetChecksum.add(0, data, 0, 10), data, 10, 11);

    assertThat(InternetChecksum.complement(pieces))
        .isEqualTo(InternetChecksum.of(data, 0, data.length));
  }

  @Test
  void ipv4PseudoHeaderIsSourceDestinationZeroProtocolLength() {
    Inet4Address source = (Inet4Address) address("198.18.0.11");
    Inet4Address destination = (Inet4Address) address("224.0.0.18");
    byte[] written = bytes("c612000b" + "e0000012" + "00" + "70" + "000c");

    long sum = InternetChecksum.pseudoHeader(source, destination, 112, 12);

    assertThat(InternetChecksum.complement(sum))
        .isEqualTo(InternetChecksum.of(written, 0, written.length));
  }

  @Test
  void ipv6PseudoHeaderHasA32BitLengthAndTheNextHeaderLast() {
    Inet6Address source = ipv6("fe80::c6:12ff:fe00:b");
    Inet6Address destination = ipv6("ff02::12");
    byte[] written =
        bytes(
            "fe8000000000000000c612fffe00000b"
                + "ff020000000000000000000000000012"
                + "00012345"
                + "000000"
                + "3a");

    long sum = InternetChecksum.pseudoHeader(source, destination, 58, 0x12345);

    assertThat(InternetChecksum.complement(sum))
        .isEqualTo(InternetChecksum.of(written, 0, written.length));
  }

  @Test
  void pseudoHeaderNeedsOneAddressFamily() {
    assertThatThrownBy(
            () ->
                InternetChecksum.pseudoHeader(address("198.18.0.11"), address("ff02::12"), 112, 12))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("198.18.0.11");
  }

  private static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  private static Inet6Address ipv6(String literal) {
    return (Inet6Address) address(literal);
  }
}
