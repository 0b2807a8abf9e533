package io.kubelvs.agent.check;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoEventLoop;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * keepalived's TCP_CHECK: healthy when a TCP connection to the target (connect_ip/connect_port) is
 * established within connect_timeout, from bind_ip/bind_port if given; the connection is closed at
 * once, as keepalived/check/check_tcp.c does on connect_success. Runs on the shared check event
 * loop; nothing is read or written.
 *
 * <p>TIME_WAIT: closing right after the handshake makes this side the active closer, so each
 * attempt leaves one TIME_WAIT socket here for 60 s (keepalived behaves the same). Linux picks the
 * source port per destination, so only attempts to the SAME address and port compete for the ~28k
 * ephemeral ports: about 470 checks/s to one real server, far above any delay_loop. A benchmark
 * hammering one loopback server faster than that relies on net.ipv4.tcp_tw_reuse (2, the default,
 * reuses TIME_WAIT ports for loopback). With a fixed bind_port every attempt reuses one 4-tuple, as
 * in keepalived; SO_REUSEADDR is set then, so at least bind() does not fail on the previous
 * attempt's TIME_WAIT.
 */
public final class TcpProber implements Prober {
  private final CheckEventLoops loops;

  public TcpProber(CheckEventLoops loops, TcpCheck check) {
    this.loops = Objects.requireNonNull(loops, "loops");
    Objects.requireNonNull(check, "check");
  }

  @Override
  public CompletableFuture<ProbeResult> probe(ProbeTarget target) {
    if (loops.isClosed()) {
      // Netty could not even report a failure: it notifies on the loop that is gone.
      return CompletableFuture.completedFuture(ProbeResult.down(TcpFailureReasons.LOOPS_CLOSED));
    }
    Optional<IoEventLoop> loop = loops.epollLoop();
    if (loop.isPresent()) {
      return new EpollTcpConnectAttempt(loop.get(), target).start();
    }
    CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    Bootstrap bootstrap =
        loops
            .tcpBootstrap()
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis(target))
            .handler(new ChannelInboundHandlerAdapter());
    connect(bootstrap, target)
        .addListener(
            (ChannelFuture connected) -> {
              if (connected.isSuccess()) {
                connected.channel().close();
                result.complete(ProbeResult.up("connected"));
              } else {
                result.complete(
                    ProbeResult.down(TcpFailureReasons.connectFailure(connected.cause(), target)));
              }
            });
    return result;
  }

  /**
   * Connects {@code bootstrap} to the target, from its bind address if it has one. The socket is
   * created on the calling thread (so in the caller's network namespace), then runs on the loop.
   */
  static ChannelFuture connect(Bootstrap bootstrap, ProbeTarget target) {
    // Netty reports every failure, also creating the socket, through the returned future.
    if (target.bind().isEmpty()) {
      return bootstrap.connect(target.address());
    }
    if (target.bind().get().getPort() != 0) {
      bootstrap.option(ChannelOption.SO_REUSEADDR, true);
    }
    return bootstrap.connect(target.address(), target.bind().get());
  }

  /** connect_timeout in Netty's int milliseconds, at least 1 (0 would mean "no timeout"). */
  static int connectTimeoutMillis(ProbeTarget target) {
    long millis = Math.max(1, target.connectTimeout().toMillis());
    return (int) Math.min(Integer.MAX_VALUE, millis);
  }
}
