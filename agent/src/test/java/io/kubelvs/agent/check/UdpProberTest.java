package io.kubelvs.agent.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.testing.NetnsLab;
import io.kubelvs.agent.testing.NoLeftoverNamespaces;
import io.kubelvs.agent.testing.Privileges;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** UDP_CHECK against real UDP servers and closed ports on loopback, and a dead host in a lab. */
@ExtendWith(NoLeftoverNamespaces.class)
class UdpProberTest {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  static final Duration TIMEOUT = Duration.ofSeconds(1);

  EventLoopGroup group;
  UdpIcmpLoop loop;

  @BeforeEach
  void start() {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    loop = UdpIcmpLoop.start("udp-icmp-test");
  }

  @AfterEach
  void stop() {
    loop.close();
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
  }

  static UdpCheck requireReply(int min, int max) {
    return new UdpCheck(new byte[0], true, min, max);
  }

  static UdpCheck noReplyRequired() {
    return new UdpCheck(new byte[0], false, 0, 255);
  }

  ProbeResult probe(UdpCheck check, InetSocketAddress address) throws Exception {
    return probe(check, ProbeTarget.of(address, TIMEOUT));
  }

  ProbeResult probe(UdpCheck check, ProbeTarget target) throws Exception {
    return new UdpProber(check, loop, group).probe(target).get(10, TimeUnit.SECONDS);
  }

  static InetSocketAddress closedPort(InetAddress address) throws Exception {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(address, 0))) {
      return new InetSocketAddress(address, socket.getLocalPort());
    }
  }

  @Test
  void sendsKeepalivedsDefaultPayloadWhenNoneIsConfigured() throws Exception {
    try (UdpTestServer server = UdpTestServer.echo(group, LOOPBACK)) {
      probe(noReplyRequired(), server.address());

      assertThat(new String(server.next().payload(), StandardCharsets.US_ASCII))
          .isEqualTo("keepalived check - keepalived ch");
    }
  }

  @Test
  void sendsTheConfiguredPayload() throws Exception {
    byte[] payload = {0x01, 0x02, (byte) 0xfe};
    try (UdpTestServer server = UdpTestServer.echo(group, LOOPBACK)) {
      probe(new UdpCheck(payload, true, 0, 255), server.address());

      assertThat(server.next().payload()).containsExactly(payload);
    }
  }

  @Test
  void echoedReplyIsUpWhenAReplyIsRequired() throws Exception {
    try (UdpTestServer server = UdpTestServer.echo(group, LOOPBACK)) {
      ProbeResult result = probe(requireReply(0, 255), server.address());

      assertThat(result).isEqualTo(ProbeResult.up("reply of 32 bytes"));
    }
  }

  @Test
  void replyShorterThanMinReplyLengthIsDown() throws Exception {
    try (UdpTestServer server =
        UdpTestServer.start(group, LOOPBACK, payload -> List.of(new byte[] {1, 2, 3}))) {
      ProbeResult result = probe(requireReply(4, 255), server.address());

      assertThat(result).isEqualTo(ProbeResult.down("reply of 3 bytes, below min_reply_length 4"));
    }
  }

  @Test
  void replyLongerThanMaxReplyLengthIsDown() throws Exception {
    try (UdpTestServer server =
        UdpTestServer.start(group, LOOPBACK, payload -> List.of(new byte[300]))) {
      ProbeResult result = probe(requireReply(0, 255), server.address());

      assertThat(result)
          .isEqualTo(ProbeResult.down("reply of 300 bytes, above max_reply_length 255"));
    }
  }

  @Test
  void replyWithinTheLengthsIsUp() throws Exception {
    try (UdpTestServer server =
        UdpTestServer.start(group, LOOPBACK, payload -> List.of(new byte[4]))) {
      assertThat(probe(requireReply(4, 4), server.address()))
          .isEqualTo(ProbeResult.up("reply of 4 bytes"));
    }
  }

  @Test
  void silenceIsDownWhenAReplyIsRequired() throws Exception {
    try (UdpTestServer server = UdpTestServer.start(group, LOOPBACK, payload -> List.of())) {
      ProbeResult result = probe(requireReply(0, 255), server.address());

      assertThat(result).isEqualTo(ProbeResult.down("no UDP reply within 1s"));
      assertThat(server.next().payload()).hasSize(32);
    }
  }

  @Test
  void silenceIsUpWhenNoReplyIsRequired() throws Exception {
    try (UdpTestServer server = UdpTestServer.start(group, LOOPBACK, payload -> List.of())) {
      ProbeResult result = probe(noReplyRequired(), server.address());

      assertThat(result).isEqualTo(ProbeResult.up("no ICMP error within 1s"));
    }
  }

  @Test
  void closedPortIsDownByItsIcmpPortUnreachableWhenNoReplyIsRequired() throws Exception {
    ProbeResult result = probe(noReplyRequired(), closedPort(LOOPBACK));

    assertThat(result).isEqualTo(ProbeResult.down("ICMP port unreachable"));
  }

  @Test
  void closedPortIsDownByItsIcmpPortUnreachableWhenAReplyIsRequired() throws Exception {
    ProbeResult result = probe(requireReply(0, 255), closedPort(LOOPBACK));

    assertThat(result).isEqualTo(ProbeResult.down("ICMP port unreachable"));
  }

  @Test
  void closedIpv6PortIsDownByItsIcmpv6PortUnreachable() throws Exception {
    ProbeResult result = probe(noReplyRequired(), closedPort(InetAddress.getByName("::1")));

    assertThat(result).isEqualTo(ProbeResult.down("ICMPv6 port unreachable"));
  }

  @Test
  void ipv6EchoIsUp() throws Exception {
    try (UdpTestServer server = UdpTestServer.echo(group, InetAddress.getByName("::1"))) {
      assertThat(probe(requireReply(0, 255), server.address()))
          .isEqualTo(ProbeResult.up("reply of 32 bytes"));
    }
  }

  @Test
  void replyFromAnotherAddressOrPortDoesNotCount() throws Exception {
    try (UdpTestServer server = UdpTestServer.start(group, LOOPBACK, payload -> List.of());
        DatagramSocket stranger = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
      CompletableFuture<ProbeResult> result =
          new UdpProber(requireReply(0, 255), loop, group)
              .probe(ProbeTarget.of(server.address(), TIMEOUT));
      InetSocketAddress checker = server.next().sender();
      stranger.send(new DatagramPacket(new byte[8], 8, checker));

      assertThat(result.get(10, TimeUnit.SECONDS))
          .isEqualTo(ProbeResult.down("no UDP reply within 1s"));
    }
  }

  @Test
  void sendsFromTheBindAddress() throws Exception {
    InetAddress source = InetAddress.getByName("127.0.0.2");
    try (UdpTestServer server = UdpTestServer.echo(group, LOOPBACK)) {
      ProbeTarget target =
          new ProbeTarget(server.address(), Optional.of(new InetSocketAddress(source, 0)), TIMEOUT);

      assertThat(probe(requireReply(0, 255), target))
          .isEqualTo(ProbeResult.up("reply of 32 bytes"));
      assertThat(server.next().sender().getAddress()).isEqualTo(source);
    }
  }

  @Test
  void manyConcurrentAttemptsEachGetTheirOwnAnswer() throws Exception {
    try (UdpTestServer server = UdpTestServer.echo(group, LOOPBACK)) {
      InetSocketAddress closed = closedPort(LOOPBACK);
      UdpProber prober = new UdpProber(requireReply(0, 255), loop, group);
      List<CompletableFuture<ProbeResult>> open = new ArrayList<>();
      List<CompletableFuture<ProbeResult>> refused = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        open.add(prober.probe(ProbeTarget.of(server.address(), TIMEOUT)));
        refused.add(prober.probe(ProbeTarget.of(closed, TIMEOUT)));
      }

      for (CompletableFuture<ProbeResult> result : open) {
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(ProbeResult.up("reply of 32 bytes"));
      }
      for (CompletableFuture<ProbeResult> result : refused) {
        assertThat(result.get(10, TimeUnit.SECONDS))
            .isEqualTo(ProbeResult.down("ICMP port unreachable"));
      }
    }
  }

  /**
   * A host that does not answer ARP: the local kernel reports "host unreachable" for the datagram,
   * an error only IP_RECVERR makes visible, and keepalived counts it as down even without
   * require_reply.
   */
  @Test
  void deadHostIsDownByIcmpHostUnreachable() throws Exception {
    Privileges.requireRoot("build a network-namespace lab");
    try (NetnsLab lab = NetnsLab.create(1)) {
      NetnsLab.Host a = lab.host("a");
      // Give up on ARP after one probe of 100 ms instead of three of 1 s.
      a.sysctl("net.ipv4.neigh.v0.mcast_solicit", "1");
      a.sysctl("net.ipv4.neigh.v0.retrans_time_ms", "100");
      UdpIcmpLoop labLoop = a.call(() -> UdpIcmpLoop.start("udp-icmp-lab-a"));
      ProbeResult result;
      try {
        InetSocketAddress dead = new InetSocketAddress(InetAddress.getByName("198.18.0.99"), 9);
        result =
            new UdpProber(noReplyRequired(), labLoop, group)
                .probe(ProbeTarget.of(dead, Duration.ofSeconds(8)))
                .get(10, TimeUnit.SECONDS);
      } finally {
        labLoop.close();
      }

      assertThat(result.healthy()).isFalse();
      assertThat(result.reason())
          .isEqualTo("ICMP host unreachable from " + a.address().getHostAddress());
    }
  }
}
