package io.kubelvs.agent.check;

import io.kubelvs.agent.check.HttpResponseReader.Head;
import io.kubelvs.agent.check.HttpResponseReader.MalformedResponseException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP_GET/SSL_GET attempt on one connection, as the last handler of its pipeline (after the
 * SslHandler for SSL_GET): sends keepalived's request once the connection (and TLS handshake) is
 * up, reads the response through an {@link HttpResponseReader}, and completes the attempt's future
 * exactly once, closing the connection at the same moment.
 *
 * <p>Time, as in keepalived/check/check_http.c: connect_timeout bounds the connect (Netty's connect
 * timeout), the TLS handshake (the SslHandler's timeout) and every wait for more of the response
 * (each read is registered with connection_to). keepalived has no bound on the response as a whole,
 * so a server trickling a byte just under the timeout would hold it forever; here the whole
 * response must also arrive within {@link #RESPONSE_TIMEOUTS} connect_timeouts of the request.
 *
 * <p>All methods run on the channel's event loop, except {@link #connectFailed} which may run where
 * Netty reports a failed registration; completing the future is idempotent either way.
 */
final class HttpGetExchange extends ChannelInboundHandlerAdapter {
  /** The whole response must arrive within this many connect_timeouts after the request. */
  static final int RESPONSE_TIMEOUTS = 3;

  private final HttpGetCheck check;
  private final ProbeTarget target;
  private final boolean tls;
  private final CompletableFuture<ProbeResult> result;
  private final long timeoutNanos;
  private final HttpResponseReader reader;
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> timer;
  private long requestSentNanos;
  private long lastReadNanos;
  private long bytesReceived;
  private boolean handshakeDone;
  private boolean done;

  HttpGetExchange(HttpGetCheck check, ProbeTarget target, CompletableFuture<ProbeResult> result) {
    this.check = check;
    this.target = target;
    this.tls = check.tls().isPresent();
    this.result = result;
    this.timeoutNanos = Math.max(1, target.connectTimeout().toNanos());
    this.reader = new HttpResponseReader(check.digest().isPresent());
  }

  /** The TCP connect failed (refused, timed out, cannot bind, ...): the attempt ends there. */
  void connectFailed(Throwable cause) {
    finish(ProbeResult.down(TcpFailureReasons.connectFailure(cause, target)));
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (!tls) {
      sendRequest();
    }
    ctx.fireChannelActive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof SslHandshakeCompletionEvent handshake) {
      if (handshake.isSuccess()) {
        handshakeDone = true;
        sendRequest();
      } else {
        finish(ProbeResult.down(HttpFailureReasons.tlsHandshake(handshake.cause(), target)));
      }
    }
    ctx.fireUserEventTriggered(event);
  }

  private void sendRequest() {
    byte[] request = HttpGetRequest.encode(check, target.address());
    requestSentNanos = System.nanoTime();
    lastReadNanos = requestSentNanos;
    scheduleTimer(timeoutNanos);
    ctx.writeAndFlush(Unpooled.wrappedBuffer(request))
        .addListener(
            (ChannelFuture written) -> {
              if (!written.isSuccess()) {
                finish(
                    ProbeResult.down(
                        "cannot send the request: "
                            + TcpFailureReasons.kernelMessage(written.cause())));
              }
            });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (done || !(msg instanceof ByteBuf in)) {
        return;
      }
      lastReadNanos = System.nanoTime();
      bytesReceived += in.readableBytes();
      boolean hadHead = reader.head().isPresent();
      reader.feed(in);
      if (!hadHead && reader.head().isPresent() && !statusAccepted(reader.head().get())) {
        // keepalived checks the status before the digest; a refused status needs no body.
        finish(ProbeResult.down("HTTP " + reader.head().get().status()));
      } else if (reader.bodyComplete()) {
        finish(verdict());
      }
    } catch (MalformedResponseException e) {
      finish(ProbeResult.down(e.getMessage()));
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private boolean statusAccepted(Head head) {
    return check.acceptsStatus(head.status());
  }

  /** The connection ended (the server's FIN): an HTTP/1.0 body ends here. */
  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (done) {
      ctx.fireChannelInactive();
      return;
    }
    if (reader.head().isPresent()) {
      finish(verdict());
    } else if (tls && !handshakeDone) {
      finish(ProbeResult.down("TLS handshake failed: connection closed by the server"));
    } else if (bytesReceived == 0) {
      finish(ProbeResult.down("connection closed without a response"));
    } else {
      finish(
          ProbeResult.down(
              "connection closed after " + bytesReceived + " bytes, within the HTTP header"));
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (tls && !handshakeDone) {
      finish(ProbeResult.down(HttpFailureReasons.tlsHandshake(cause, target)));
    } else {
      finish(ProbeResult.down(HttpFailureReasons.readFailure(cause, bytesReceived)));
    }
  }

  /** The status was accepted; the body, if a digest is configured, decides. */
  private ProbeResult verdict() {
    Head head = reader.head().orElseThrow();
    if (check.digest().isPresent()) {
      String expected = check.digest().get().toLowerCase(Locale.ROOT);
      String got = reader.bodyDigestHex();
      if (!got.equals(expected)) {
        return ProbeResult.down("digest mismatch: expected " + expected + ", got " + got);
      }
    }
    long length = head.contentLength().orElse(-1);
    if (length >= 0 && reader.bodyBytes() < length) {
      // keepalived logs a short body and goes on to judge what it got; so does this.
      return ProbeResult.up(
          "HTTP " + head.status() + " (body " + reader.bodyBytes() + " of " + length + " bytes)");
    }
    return ProbeResult.up("HTTP " + head.status());
  }

  private void scheduleTimer(long delayNanos) {
    timer = ctx.executor().schedule(this::onTimer, delayNanos, TimeUnit.NANOSECONDS);
  }

  /** One timer serves both bounds: the wait for the next read and the whole response. */
  private void onTimer() {
    if (done) {
      return;
    }
    long now = System.nanoTime();
    long idleDeadline = lastReadNanos + timeoutNanos;
    long responseDeadline = requestSentNanos + RESPONSE_TIMEOUTS * timeoutNanos;
    String timeout = DurationText.of(target.connectTimeout());
    if (now - idleDeadline >= 0) {
      finish(
          ProbeResult.down(
              bytesReceived == 0
                  ? "no response within " + timeout
                  : "response stalled for " + timeout + " after " + bytesReceived + " bytes"));
    } else if (now - responseDeadline >= 0) {
      finish(
          ProbeResult.down(
              "response not complete within "
                  + DurationText.of(target.connectTimeout().multipliedBy(RESPONSE_TIMEOUTS))
                  + " ("
                  + bytesReceived
                  + " bytes)"));
    } else {
      scheduleTimer(Math.min(idleDeadline, responseDeadline) - now);
    }
  }

  private void finish(ProbeResult outcome) {
    if (done) {
      return;
    }
    done = true;
    if (timer != null) {
      timer.cancel(false);
    }
    if (ctx != null) {
      ctx.channel().close();
    }
    result.complete(outcome);
  }
}
