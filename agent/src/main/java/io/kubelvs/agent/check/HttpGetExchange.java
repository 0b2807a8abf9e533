package io.kubelvs.agent.check;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One SSL_GET attempt (or HTTP_GET where the event loops are not epoll) on one connection, as the
 * last handler of its pipeline (after the SslHandler for SSL_GET): sends keepalived's request once
 * the connection (and TLS handshake) is up, hands the response to an {@link HttpGetJudge}, and
 * completes the attempt's future exactly once, closing the connection at the same moment.
 *
 * <p>Time: connect_timeout bounds the connect (Netty's connect timeout), the TLS handshake (the
 * SslHandler's timeout) and the response as {@link HttpGetJudge} says.
 *
 * <p>All methods run on the channel's event loop, except {@link #connectFailed} which may run where
 * Netty reports a failed registration; completing the future is idempotent either way.
 */
final class HttpGetExchange extends ChannelInboundHandlerAdapter {
  private final ProbeTarget target;
  private final boolean tls;
  private final CompletableFuture<ProbeResult> result;
  private final HttpGetJudge judge;
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> timer;
  private boolean handshakeDone;
  private boolean done;

  HttpGetExchange(HttpGetCheck check, ProbeTarget target, CompletableFuture<ProbeResult> result) {
    this.target = target;
    this.tls = check.tls().isPresent();
    this.result = result;
    this.judge = new HttpGetJudge(check, target);
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
    byte[] request = judge.request();
    long now = System.nanoTime();
    judge.requestSent(now);
    scheduleTimer(judge.deadlineNanos() - now);
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
      if (!done && msg instanceof ByteBuf in) {
        ProbeResult outcome = judge.received(in, System.nanoTime());
        if (outcome != null) {
          finish(outcome);
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  /** The connection ended (the server's FIN): an HTTP/1.0 body ends here. */
  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!done) {
      finish(
          tls && !handshakeDone
              ? ProbeResult.down("TLS handshake failed: connection closed by the server")
              : judge.peerClosed());
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (tls && !handshakeDone) {
      finish(ProbeResult.down(HttpFailureReasons.tlsHandshake(cause, target)));
    } else {
      finish(ProbeResult.down(HttpFailureReasons.readFailure(cause, judge.bytesReceived())));
    }
  }

  private void scheduleTimer(long delayNanos) {
    timer = ctx.executor().schedule(this::onTimer, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void onTimer() {
    if (done) {
      return;
    }
    long now = System.nanoTime();
    ProbeResult outcome = judge.timedOut(now);
    if (outcome != null) {
      finish(outcome);
    } else {
      scheduleTimer(judge.deadlineNanos() - now);
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
