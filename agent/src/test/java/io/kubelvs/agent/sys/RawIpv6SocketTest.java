package io.kubelvs.agent.sys;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.netlink.Link;
import io.kubelvs.agent.netlink.Links;
import io.kubelvs.agent.netlink.Netlink;
import io.kubelvs.agent.netlink.NetlinkSocket;
import io.kubelvs.agent.testing.Hex;
import io.kubelvs.agent.testing.NetnsLab;
import io.kubelvs.agent.testing.NoLeftoverNamespaces;
import io.kubelvs.agent.testing.Privileges;
import java.net.Inet6Address;
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

/**
 * Raw IPv6 sockets for protocol 112 between two hosts of a lab; the lab turns duplicate address
 * detection off, so link-local addresses are usable at once. The kernel strips the IPv6 header and
 * reports the hop limit as ancillary data.
 */
@ExtendWith(NoLeftoverNamespaces.class)
class RawIpv6SocketTest {
  static final InetAddress GROUP = RawIpSocketTest.address("ff02::12");
  static final Duration WAIT = Duration.ofSeconds(2);

  /** A VRRPv3 advert's bytes; the kernel computes no checksum for protocol 112, nor checks one. */
  static final byte[] ADVERT = Hex.bytes("3163640100640000 20020000000000000000000000000050");

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
  void multicastToFf02_12ArrivesWithHopLimit255FromTheLinkLocalAddress() throws Exception {
    RawIpSocket a = open("a");
    RawIpSocket b = open("b");
    b.joinGroup(GROUP);

    a.send(ADVERT, GROUP);

    ByteBuffer buffer = ByteBuffer.allocate(1500);
    ReceivedDatagram datagram = b.receive(buffer, WAIT).orElseThrow();
    assertThat(datagram.hopLimit()).isEqualTo(255);
    assertThat(datagram.headerLength()).isZero();
    assertThat(datagram.length()).isEqualTo(ADVERT.length);
    assertThat(Arrays.copyOf(buffer.array(), buffer.position())).isEqualTo(ADVERT);
    assertThat(datagram.source()).isEqualTo(linkLocal("a"));
    assertThat(datagram.destination()).isEqualTo(GROUP);
    assertThat(datagram.interfaceIndex()).isEqualTo(lab.host("b").interfaceIndex());
  }

  @Test
  void unicastToThePeersLinkLocalAddressArrives() throws Exception {
    RawIpSocket a = open("a");
    RawIpSocket b = open("b");

    a.send(ADVERT, linkLocal("b"));

    ReceivedDatagram datagram = b.receive(ByteBuffer.allocate(1500), WAIT).orElseThrow();
    assertThat(datagram.destination()).isEqualTo(linkLocal("b"));
    assertThat(datagram.hopLimit()).isEqualTo(255);
  }

  @Test
  void datagramSentWithHopLimit64ArrivesWithHopLimit64() throws Exception {
    RawIpSocket a = open("a", o -> o.withHopLimit(64));
    RawIpSocket b = open("b");
    b.joinGroup(GROUP);

    a.send(ADVERT, GROUP);
    a.send(ADVERT, linkLocal("b"));

    assertThat(b.receive(ByteBuffer.allocate(1500), WAIT).orElseThrow().hopLimit()).isEqualTo(64);
    assertThat(b.receive(ByteBuffer.allocate(1500), WAIT).orElseThrow().hopLimit()).isEqualTo(64);
  }

  @Test
  void boundLinkLocalSourceIsTheDatagramsSource() throws Exception {
    Inet6Address source = linkLocal("a");
    RawIpSocket a = open("a", o -> o.withSourceAddress(source));
    RawIpSocket b = open("b");
    b.joinGroup(GROUP);

    a.send(ADVERT, GROUP);

    assertThat(b.receive(ByteBuffer.allocate(1500), WAIT).orElseThrow().source()).isEqualTo(source);
  }

  /** fe80::c6ff:fe12:b for host a: EUI-64 of its MAC 02:00:c6:12:00:0b, as Links reads it. */
  Inet6Address linkLocal(String host) throws Exception {
    Inet6Address address =
        lab.host(host)
            .call(
                () -> {
                  try (NetlinkSocket rtnl = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
                    Links links = new Links(rtnl);
                    Link v0 = links.byName(NetnsLab.INTERFACE);
                    return links.linkLocalIpv6Address(v0).orElseThrow();
                  }
                });
    byte[] mac = lab.host(host).mac().bytes();
    assertThat(address.getAddress())
        .endsWith(
            (byte) (mac[0] ^ 2), mac[1], mac[2], (byte) 0xff, (byte) 0xfe, mac[3], mac[4], mac[5]);
    return address;
  }

  RawIpSocket open(String host) throws Exception {
    return open(host, UnaryOperator.identity());
  }

  RawIpSocket open(String host, UnaryOperator<RawIpSocketOptions> change) throws Exception {
    NetnsLab.Host inside = lab.host(host);
    RawIpSocketOptions options =
        change.apply(
            RawIpSocketOptions.vrrp(
                StandardProtocolFamily.INET6, inside.interfaceName(), inside.interfaceIndex()));
    RawIpSocket socket = inside.call(() -> RawIpSocket.open(options));
    sockets.add(socket);
    return socket;
  }
}
