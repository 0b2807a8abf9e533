package io.kubelvs.agent.check;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoEventLoop;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SNIHostName;

/**
 * keepalived's HTTP_GET, and SSL_GET when the check has TLS settings: one GET per attempt, on a new
 * connection from the shared check event loop, with keepalived's request ({@link HttpGetRequest});
 * healthy when the status lies in the check's ranges (default 200-299) and, if a digest is
 * configured, the MD5 of the body equals it ({@link Md5BodyDigest}, as genhash prints it).
 *
 * <p>HTTP_GET runs on a bare socket of the epoll loop ({@link EpollHttpGetAttempt}); SSL_GET, and
 * HTTP_GET where there is no epoll, on a Netty channel whose pipeline is the SslHandler and an
 * {@link HttpGetExchange}. Either way an attempt holds a header buffer of at most {@link
 * HttpResponseReader#MAX_HEADER_BYTES} and never the body, and takes at most connect_timeout for
 * the connect, connect_timeout for the TLS handshake and {@link HttpGetJudge#RESPONSE_TIMEOUTS}
 * connect_timeouts for the response, each read waiting connect_timeout at most.
 *
 * <p>The connection is closed as soon as the outcome is known: a refused status after the header,
 * else at Content-Length bytes of body or when the server closes (HTTP/1.0, and HTTP/1.1 with
 * keepalived's "Connection: close"). The server normally closes first; see {@link
 * EpollHttpGetAttempt} for how its TIME_WAIT is spared.
 */
public final class HttpProber implements Prober {
  private final CheckEventLoops loops;
  private final TlsContexts tlsContexts;
  private final HttpGetCheck check;
  private final Optional<SNIHostName> serverName;

  /**
   * A prober for {@code check}; {@code tlsContexts} serves SSL_GET and may be shared by all. Fails
   * here, not per attempt, on a path, virtual host, digest or SNI name that cannot be sent.
   */
  public HttpProber(CheckEventLoops loops, TlsContexts tlsContexts, HttpGetCheck check) {
    this.loops = Objects.requireNonNull(loops, "loops");
    this.tlsContexts = Objects.requireNonNull(tlsContexts, "tlsContexts");
    this.check = Objects.requireNonNull(check, "check");
    HttpGetRequest.validate(check);
    check
        .digest()
        .filter(digest -> !Md5BodyDigest.isHexDigest(digest))
        .ifPresent(
            digest -> {
              throw new IllegalArgumentException(
                  check.keepalivedName()
                      + " digest \""
                      + digest
                      + "\" is not an MD5 in hex (32 hex digits, as genhash prints it)");
            });
    this.serverName = check.tls().isPresent() ? TlsContexts.serverNameOf(check) : Optional.empty();
  }

  @Override
  public CompletableFuture<ProbeResult> probe(ProbeTarget target) {
    if (loops.isClosed()) {
      // Netty could not even report a failure: it notifies on the loop that is gone.
      return CompletableFuture.completedFuture(ProbeResult.down(TcpFailureReasons.LOOPS_CLOSED));
    }
    if (check.tls().isEmpty()) {
      Optional<IoEventLoop> loop = loops.epollLoop();
      if (loop.isPresent()) {
        return new EpollHttpGetAttempt(loop.get(), check, target).start();
      }
    }
    CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    HttpGetExchange exchange = new HttpGetExchange(check, target, result);
    Bootstrap bootstrap =
        loops
            .tcpBootstrap()
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, TcpProber.connectTimeoutMillis(target))
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel channel) {
                    check
                        .tls()
                        .ifPresent(
                            tls ->
                                channel
                                    .pipeline()
                                    .addLast(
                                        tlsContexts.newHandler(
                                            channel.alloc(),
                                            target.address(),
                                            serverName,
                                            tls.verify(),
                                            target.connectTimeout())));
                    channel.pipeline().addLast(exchange);
                  }
                });
    TcpProber.connect(bootstrap, target)
        .addListener(
            (ChannelFuture connected) -> {
              if (!connected.isSuccess()) {
                exchange.connectFailed(connected.cause());
              }
            });
    return result;
  }
}
