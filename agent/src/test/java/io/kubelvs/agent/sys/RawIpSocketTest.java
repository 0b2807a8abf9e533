package io.kubelvs.agent.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubelvs.agent.testing.Hex;
import io.kubelvs.agent.testing.NetnsLab;
import io.kubelvs.agent.testing.NoLeftoverNamespaces;
import io.kubelvs.agent.testing.Privileges;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Raw IPv4 sockets for protocol 112 between two hosts of a network-namespace lab. */
@ExtendWith(NoLeftoverNamespaces.class)
class RawIpSocketTest {
  static final InetAddress GROUP = address("224.0.100.99");
  static final InetAddress OTHER_GROUP = address("224.0.0.18");
  static final Duration WAIT = Duration.ofSeconds(2);
  static final Duration SILENCE = Duration.ofMillis(200);

  /** keepalived 2.2.7's VRRPv2 advert (vectors/keepalived-2.2.7/vrrpv2-224.0.100.99-prio100). */
  static final byte[] ADVERT = Hex.bytes("21636401 0101b14e c6120032 35373166 39376232");

  /**
   * The IPv4 header keepalived sent it with: TOS 0xc0, no DF, TTL 255, protocol 112, from .11 (the
   * interface's primary address) to the group.
   */
  static final byte[] KEEPALIVED_HEADER = Hex.bytes("45c00028 00010000 ff70b023 c612000b e0006463");

  NetnsLab lab;
  final List<RawIpSocket> sockets = new ArrayList<>();

  @BeforeEach
  void buildLab() {
    Privileges.requireRoot("build a network-namespace lab and open raw sockets in it");
    lab = NetnsLab.create(2);
  }

  @AfterEach
  void tearDown() {
    sockets.forEach(RawIpSocket::close);
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void multicastArrivesWithTtl255AndTheIpv4HeaderKeepalivedSends() throws Exception {
    RawIpSocket a = open("a");
    RawIpSocket b = open("b");
    b.joinGroup(GROUP);

    a.send(ADVERT, GROUP);

    ByteBuffer buffer = ByteBuffer.allocate(1500);
    ReceivedDatagram datagram = b.receive(buffer, WAIT).orElseThrow();
    assertThat(datagram.length()).isEqualTo(40);
    assertThat(datagram.headerLength()).isEqualTo(20);
    assertThat(datagram.hopLimit()).isEqualTo(255);
    assertThat(datagram.source()).isEqualTo(lab.host("a").address());
    assertThat(datagram.destination()).isEqualTo(GROUP);
    assertThat(datagram.interfaceIndex()).isEqualTo(lab.host("b").interfaceIndex());
    byte[] bytes = Arrays.copyOf(buffer.array(), buffer.position());
    assertThat(Arrays.copyOfRange(bytes, 20, 40)).isEqualTo(ADVERT);
    assertThat(headerWithoutIdAndChecksum(bytes))
        .isEqualTo(headerWithoutIdAndChecksum(KEEPALIVED_HEADER));
  }

  @Test
  void unicastToThePeersAddressArrives() throws Exception {
    RawIpSocket a = open("a");
    RawIpSocket b = open("b");

    a.send(ADVERT, lab.host("b").address());

    ReceivedDatagram datagram = b.receive(ByteBuffer.allocate(1500), WAIT).orElseThrow();
    assertThat(datagram.destination()).isEqualTo(lab.host("b").address());
    assertThat(datagram.source()).isEqualTo(lab.host("a").address());
    assertThat(datagram.hopLimit()).isEqualTo(255);
  }

  @Test
  void datagramSentWithTtl64ArrivesWithTtl64SoVrrpCanDropIt() throws Exception {
    RawIpSocket a = open("a", o -> o.withHopLimit(64));
    RawIpSocket b = open("b");
    b.joinGroup(GROUP);

    a.send(ADVERT, GROUP);
    a.send(ADVERT, lab.host("b").address());

    assertThat(b.receive(ByteBuffer.allocate(1500), WAIT).orElseThrow().hopLimit()).isEqualTo(64);
    assertThat(b.receive(ByteBuffer.allocate(1500), WAIT).orElseThrow().hopLimit()).isEqualTo(64);
  }

  @Test
  void socketThatDidNotJoinTheGroupReceivesNothingFromIt() throws Exception {
    RawIpSocket a = open("a");
    RawIpSocket joined = open("b");
    RawIpSocket other = open("b");
    joined.joinGroup(GROUP);
    other.joinGroup(OTHER_GROUP);

    a.send(ADVERT, GROUP);

    assertThat(joined.receive(ByteBuffer.allocate(1500), WAIT)).isPresent();
    assertThat(other.receive(ByteBuffer.allocate(1500), SILENCE)).isEmpty();
  }

  @Test
  void senderDoesNotHearItsOwnMulticast() throws Exception {
    RawIpSocket a = open("a");
    RawIpSocket b = open("b");
    a.joinGroup(GROUP);
    b.joinGroup(GROUP);

    a.send(ADVERT, GROUP);

    assertThat(b.receive(ByteBuffer.allocate(1500), WAIT)).isPresent();
    assertThat(a.receive(ByteBuffer.allocate(1500), SILENCE)).isEmpty();
  }

  @Test
  void receiveWithNothingQueuedReturnsEmptyAfterTheTimeout() throws Exception {
    RawIpSocket b = open("b");

    long start = System.nanoTime();
    assertThat(b.receive(ByteBuffer.allocate(1500), Duration.ofMillis(100))).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(95), WAIT);
    assertThat(b.receive(ByteBuffer.allocate(1500), Duration.ZERO)).isEmpty();
  }

  @Test
  void datagramLargerThanTheBufferIsTruncatedAndSaysSo() throws Exception {
    RawIpSocket a = open("a");
    RawIpSocket b = open("b");
    b.joinGroup(GROUP);

    a.send(ADVERT, GROUP);

    ByteBuffer small = ByteBuffer.allocate(24);
    ReceivedDatagram datagram = b.receive(small, WAIT).orElseThrow();
    assertThat(datagram.truncated()).isTrue();
    assertThat(datagram.length()).isEqualTo(40);
    assertThat(small.position()).isEqualTo(24);
  }

  @Test
  void joiningAUnicastAddressFailsNamingGroupAndInterface() throws Exception {
    RawIpSocket b = open("b");

    assertThatThrownBy(() -> b.joinGroup(lab.host("b").address()))
        .isInstanceOfSatisfying(
            SyscallException.class, e -> assertThat(e.errnoName()).isEqualTo("EINVAL"))
        .hasMessage(
            "setsockopt(IP_ADD_MEMBERSHIP 198.18.0.12) for protocol 112 on v0: EINVAL (Invalid"
                + " argument)");
  }

  @Test
  void boundSourceAddressIsTheDatagramsSource() throws Exception {
    lab.host("a").ip("address", "add", "198.18.0.50/32", "dev", "v0");
    RawIpSocket a = open("a", o -> o.withSourceAddress(address("198.18.0.50")));
    RawIpSocket b = open("b");
    b.joinGroup(GROUP);

    a.send(ADVERT, GROUP);

    assertThat(b.receive(ByteBuffer.allocate(1500), WAIT).orElseThrow().source())
        .isEqualTo(address("198.18.0.50"));
  }

  RawIpSocket open(String host) throws Exception {
    return open(host, UnaryOperator.identity());
  }

  RawIpSocket open(String host, UnaryOperator<RawIpSocketOptions> change) throws Exception {
    NetnsLab.Host inside = lab.host(host);
    RawIpSocketOptions options =
        change.apply(
            RawIpSocketOptions.vrrp(
                StandardProtocolFamily.INET, inside.interfaceName(), inside.interfaceIndex()));
    RawIpSocket socket = inside.call(() -> RawIpSocket.open(options));
    sockets.add(socket);
    return socket;
  }

  /** The header with identification and checksum zeroed: each datagram has its own. */
  static byte[] headerWithoutIdAndChecksum(byte[] datagram) {
    byte[] header = Arrays.copyOf(datagram, 20);
    Arrays.fill(header, 4, 6, (byte) 0);
    Arrays.fill(header, 10, 12, (byte) 0);
    return header;
  }

  static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
