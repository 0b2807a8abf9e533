package io.kubelvs.agent.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.testing.NetnsLab;
import io.kubelvs.agent.testing.NoLeftoverNamespaces;
import io.kubelvs.agent.testing.Privileges;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** TCP_CHECK against real listening sockets on loopback and in network namespaces. */
@ExtendWith(NoLeftoverNamespaces.class)
class TcpProberTest {
  private static final Duration TIMEOUT = Duration.ofMillis(500);

  private final CheckEventLoops loops = new CheckEventLoops();
  private final TcpProber prober = new TcpProber(loops, new TcpCheck());

  @AfterEach
  void stop() {
    loops.close();
  }

  @Test
  void upWhenTheConnectionIsEstablishedAndClosedGracefully() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      ProbeResult result = probe(ProbeTarget.of(address(server), TIMEOUT));

      assertThat(result).isEqualTo(ProbeResult.up("connected"));
      try (Socket accepted = server.accept()) {
        accepted.setSoTimeout(10_000);
        // -1 is a FIN: the check closed normally, not with an RST the server would log.
        assertThat(accepted.getInputStream().read()).isEqualTo(-1);
      }
    }
  }

  @Test
  void connectionRefused() throws Exception {
    InetSocketAddress closed = HttpProberTest.closedLoopbackPort();

    assertThat(probe(ProbeTarget.of(closed, TIMEOUT)))
        .isEqualTo(ProbeResult.down("connection refused"));
  }

  @Test
  void bindAddressAndPortAreTheSourceTheServerSees() throws Exception {
    InetSocketAddress bind = freePortOn("127.0.0.2");
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      ProbeResult result = probe(new ProbeTarget(address(server), Optional.of(bind), TIMEOUT));

      assertThat(result.healthy()).isTrue();
      try (Socket accepted = server.accept()) {
        assertThat(accepted.getRemoteSocketAddress()).isEqualTo(bind);
      }
    }
  }

  @Test
  void bindAddressThatIsNotLocalIsNamed() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      InetSocketAddress notLocal = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 0);

      assertThat(probe(new ProbeTarget(address(server), Optional.of(notLocal), TIMEOUT)))
          .isEqualTo(
              ProbeResult.down("cannot bind to 192.0.2.1:0: Cannot assign requested address"));
    }
  }

  @Test
  void connectTimeoutWhenTheServerNeverAnswersTheSyn() throws Exception {
    Privileges.requireRoot("run a real server in a network namespace whose replies are dropped");
    try (NetnsLab lab = NetnsLab.create(2)) {
      NetnsLab.Host client = lab.host("a");
      NetnsLab.Host server = lab.host("b");
      try (ServerSocket listener =
          server.call(() -> new ServerSocket(8080, 50, server.address()))) {
        ProbeTarget target = ProbeTarget.of(address(listener), TIMEOUT);
        assertThat(probeFrom(client, target)).isEqualTo(ProbeResult.up("connected"));

        // b still gets the SYNs, but its SYN-ACKs to a go nowhere: a sees silence.
        server.ip("route", "add", "blackhole", client.address().getHostAddress() + "/32");

        assertThat(probeFrom(client, target)).isEqualTo(ProbeResult.down("connect timeout 500ms"));
      }
    }
  }

  @Test
  void manyChecksRunTogetherOnOneLoopThread() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 500, InetAddress.getLoopbackAddress())) {
      List<CompletableFuture<ProbeResult>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        results.add(prober.probe(ProbeTarget.of(address(server), Duration.ofSeconds(5))));
      }

      for (CompletableFuture<ProbeResult> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(ProbeResult.up("connected"));
      }
    }
  }

  @Test
  void aCheckAfterTheLoopsAreClosedIsDownInsteadOfHanging() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      loops.close();

      assertThat(loops.isClosed()).isTrue();
      assertThat(probe(ProbeTarget.of(address(server), TIMEOUT)))
          .isEqualTo(ProbeResult.down("check event loops are shut down"));
    }
  }

  private ProbeResult probe(ProbeTarget target) throws Exception {
    return prober.probe(target).get(10, TimeUnit.SECONDS);
  }

  /** Probes from inside {@code host}'s namespace: the socket is made on a thread there. */
  private ProbeResult probeFrom(NetnsLab.Host host, ProbeTarget target) throws Exception {
    return host.call(() -> prober.probe(target)).get(10, TimeUnit.SECONDS);
  }

  private static InetSocketAddress address(ServerSocket server) {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  private static InetSocketAddress freePortOn(String address) throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
      return (InetSocketAddress) socket.getLocalSocketAddress();
    }
  }
}
