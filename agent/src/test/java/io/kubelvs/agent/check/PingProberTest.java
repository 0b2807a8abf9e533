package io.kubelvs.agent.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.sys.IcmpSocket;
import io.kubelvs.agent.testing.NetnsLab;
import io.kubelvs.agent.testing.NoLeftoverNamespaces;
import io.kubelvs.agent.testing.Privileges;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
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

/**
 * PING_CHECK from host a of a network-namespace lab: its ICMP sockets are opened inside a, and it
 * pings host b (198.18.0.12, and b's IPv6 link-local address) and addresses where no host is.
 */
@ExtendWith(NoLeftoverNamespaces.class)
class PingProberTest {
  static final Duration TIMEOUT = Duration.ofSeconds(1);

  NetnsLab lab;
  EventLoopGroup group;
  UdpIcmpLoop loop;
  PingProber prober;

  @BeforeEach
  void start() throws Exception {
    Privileges.requireRoot("build a network-namespace lab and open raw ICMP sockets in it");
    lab = NetnsLab.create(2);
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    loop = UdpIcmpLoop.start("ping-test-loop");
    prober = open(true, true);
  }

  PingProber open(boolean ipv4, boolean ipv6) throws Exception {
    NetnsLab.Host a = lab.host("a");
    Optional<IcmpSocket> v4 =
        ipv4
            ? Optional.of(a.call(() -> IcmpSocket.open(StandardProtocolFamily.INET)))
            : Optional.empty();
    Optional<IcmpSocket> v6 =
        ipv6
            ? Optional.of(a.call(() -> IcmpSocket.open(StandardProtocolFamily.INET6)))
            : Optional.empty();
    return PingProber.open(loop, group, v4, v6);
  }

  @AfterEach
  void stop() {
    if (prober != null) {
      prober.close();
    }
    if (loop != null) {
      loop.close();
    }
    if (group != null) {
      group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
    if (lab != null) {
      lab.close();
    }
  }

  CompletableFuture<ProbeResult> ping(InetAddress address, Duration timeout) {
    return prober.probe(ProbeTarget.of(new InetSocketAddress(address, 0), timeout));
  }

  ProbeResult ping(InetAddress address) throws Exception {
    return ping(address, TIMEOUT).get(10, TimeUnit.SECONDS);
  }

  @Test
  void hostThatAnswersIsUp() throws Exception {
    assertThat(ping(lab.host("b").address())).isEqualTo(ProbeResult.up("echo reply"));
  }

  @Test
  void addressWithoutAHostIsDown() throws Exception {
    assertThat(ping(InetAddress.getByName("198.18.0.99")))
        .isEqualTo(ProbeResult.down("no echo reply within 1s"));
  }

  @Test
  void hostThatIgnoresEchoRequestsIsDown() throws Exception {
    lab.host("b").sysctl("net.ipv4.icmp_echo_ignore_all", "1");

    assertThat(ping(lab.host("b").address()))
        .isEqualTo(ProbeResult.down("no echo reply within 1s"));
  }

  @Test
  void ipv6LinkLocalHostThatAnswersIsUp() throws Exception {
    assertThat(ping(linkLocalOfB())).isEqualTo(ProbeResult.up("echo reply"));
  }

  @Test
  void ipv6AddressWithoutAHostIsDown() throws Exception {
    Inet6Address nobody =
        Inet6Address.getByAddress(
            null, InetAddress.getByName("fe80::99").getAddress(), lab.host("a").interfaceIndex());

    assertThat(ping(nobody)).isEqualTo(ProbeResult.down("no echo reply within 1s"));
  }

  @Test
  void concurrentAttemptsAreToldApartBySequenceAndSource() throws Exception {
    List<CompletableFuture<ProbeResult>> toB = new ArrayList<>();
    List<CompletableFuture<ProbeResult>> toNobody = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      toB.add(ping(lab.host("b").address(), TIMEOUT));
      toNobody.add(ping(InetAddress.getByName("198.18.0.99"), TIMEOUT));
    }

    for (CompletableFuture<ProbeResult> result : toB) {
      assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(ProbeResult.up("echo reply"));
    }
    for (CompletableFuture<ProbeResult> result : toNobody) {
      assertThat(result.get(10, TimeUnit.SECONDS))
          .isEqualTo(ProbeResult.down("no echo reply within 1s"));
    }
  }

  @Test
  void familyWithoutASocketIsDown() throws Exception {
    prober.close();
    prober = open(true, false);

    assertThat(ping(linkLocalOfB()).reason()).startsWith("no ICMPv6 socket to ping fe80:");
  }

  @Test
  void closingEndsTheAttemptsStillWaiting() throws Exception {
    CompletableFuture<ProbeResult> waiting =
        ping(InetAddress.getByName("198.18.0.99"), Duration.ofSeconds(60));

    prober.close();

    assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(ProbeResult.down("PING_CHECK stopped"));
  }

  /** b's fe80:: address on v0 (DAD is off in the lab), scoped to a's v0. */
  Inet6Address linkLocalOfB() throws Exception {
    String line =
        lab.host("b").ip("-6", "-o", "address", "show", "dev", NetnsLab.INTERFACE, "scope", "link");
    String cidr = line.trim().split("\\s+")[3];
    byte[] bytes = InetAddress.getByName(cidr.substring(0, cidr.indexOf('/'))).getAddress();
    return Inet6Address.getByAddress(null, bytes, lab.host("a").interfaceIndex());
  }
}
