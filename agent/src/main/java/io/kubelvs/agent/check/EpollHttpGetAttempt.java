package io.kubelvs.agent.check;

import io.netty.buffer.ByteBuf;
import io.netty.channel.IoEventLoop;
import java.io.IOException;

/**
 * One HTTP_GET attempt (plain HTTP) on a bare epoll socket: keepalived's request once connected,
 * the response judged by {@link HttpGetJudge}. A connection whose server has already sent its FIN
 * is closed with an RST (see {@link EpollTcpAttempt#finish}); one the server still holds open is
 * closed with a FIN, so no application on a real server ever reads a reset from a check.
 */
final class EpollHttpGetAttempt extends EpollTcpAttempt {
  private final HttpGetJudge judge;

  EpollHttpGetAttempt(IoEventLoop loop, HttpGetCheck check, ProbeTarget target) {
    super(loop, target);
    this.judge = new HttpGetJudge(check, target);
  }

  @Override
  void onConnected(long nowNanos) {
    judge.requestSent(nowNanos);
    write(judge.request());
  }

  @Override
  void onReceived(ByteBuf in, long nowNanos) {
    ProbeResult outcome = judge.received(in, nowNanos);
    if (outcome != null) {
      finish(outcome, peerShutDown());
    }
  }

  @Override
  void onPeerClosed() {
    finish(judge.peerClosed(), true);
  }

  @Override
  void onIoFailure(IOException cause) {
    finish(ProbeResult.down(HttpFailureReasons.readFailure(cause, judge.bytesReceived())), false);
  }

  @Override
  long deadlineNanos() {
    return judge.deadlineNanos();
  }

  @Override
  ProbeResult timedOut(long nowNanos) {
    return judge.timedOut(nowNanos);
  }
}
