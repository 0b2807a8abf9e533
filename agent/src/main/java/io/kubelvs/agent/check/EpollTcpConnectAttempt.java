package io.kubelvs.agent.check;

import io.netty.buffer.ByteBuf;
import io.netty.channel.IoEventLoop;
import java.io.IOException;

/**
 * One TCP_CHECK attempt on a bare epoll socket: healthy once the handshake completes, and the
 * connection is closed at once with a FIN, as keepalived/check/check_tcp.c does.
 */
final class EpollTcpConnectAttempt extends EpollTcpAttempt {
  EpollTcpConnectAttempt(IoEventLoop loop, ProbeTarget target) {
    super(loop, target);
  }

  @Override
  void onConnected(long nowNanos) {
    finish(ProbeResult.up("connected"), false);
  }

  // The attempt ends at the connect: nothing is read, and no timer runs past it.

  @Override
  void onReceived(ByteBuf in, long nowNanos) {}

  @Override
  void onPeerClosed() {}

  @Override
  void onIoFailure(IOException cause) {}

  @Override
  long deadlineNanos() {
    throw new IllegalStateException("a TCP_CHECK attempt ends at its connect");
  }

  @Override
  ProbeResult timedOut(long nowNanos) {
    throw new IllegalStateException("a TCP_CHECK attempt ends at its connect");
  }
}
