package io.kubelvs.agent.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubelvs.agent.sys.UdpProbeSocket;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The thread that waits on UDP_CHECK's and PING_CHECK's native sockets. */
class UdpIcmpLoopTest {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  EventLoopGroup group;
  UdpIcmpLoop loop;

  @BeforeEach
  void start() {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    loop = UdpIcmpLoop.start("udp-icmp-loop-test");
  }

  @AfterEach
  void stop() {
    loop.close();
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void tasksRunOnTheLoopsThread() throws Exception {
    CompletableFuture<String> thread = new CompletableFuture<>();
    loop.execute(() -> thread.complete(Thread.currentThread().getName()));

    assertThat(thread.get(10, TimeUnit.SECONDS)).isEqualTo("udp-icmp-loop-test");
  }

  @Test
  void watchingBelongsToTheLoopsThread() {
    assertThatThrownBy(() -> loop.watch(() -> 0, () -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("udp-icmp-loop-test");
  }

  @Test
  void afterCloseTasksRunOnTheCallersThread() {
    loop.close();
    String[] thread = new String[1];

    loop.execute(() -> thread[0] = Thread.currentThread().getName());

    assertThat(thread[0]).isEqualTo(Thread.currentThread().getName());
  }

  /** A socket its owner closed while still watched is dropped; the others are served on. */
  @Test
  void socketClosedWhileWatchedIsDroppedAndTheLoopServesOthers() throws Exception {
    CompletableFuture<Void> broken = new CompletableFuture<>();
    loop.execute(
        () -> {
          UdpProbeSocket socket =
              UdpProbeSocket.open(new InetSocketAddress(LOOPBACK, 9), Optional.empty());
          loop.watch(socket, () -> {});
          socket.close();
          broken.complete(null);
        });
    broken.get(10, TimeUnit.SECONDS);

    try (UdpTestServer server = UdpTestServer.echo(group, LOOPBACK)) {
      ProbeResult result =
          new UdpProber(new UdpCheck(new byte[0], true, 0, 255), loop, group)
              .probe(ProbeTarget.of(server.address(), Duration.ofSeconds(1)))
              .get(10, TimeUnit.SECONDS);

      assertThat(result).isEqualTo(ProbeResult.up("reply of 32 bytes"));
    }
  }
}
