package io.kubelvs.agent.check;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The one Netty event loop group every network prober of the agent runs on, like keepalived's
 * checker process running all its checks on one select loop: epoll (NIO selectors where the native
 * transport cannot load) on a small fixed number of threads ({@link Probers#DEFAULT_LOOPS}), no
 * thread per check. At 10,000 checks/s epoll cost less CPU per check than NIO's selector sets. It
 * also holds the one TCP {@link Bootstrap} template the probers clone per attempt, so the channel
 * type and socket options are decided once here.
 *
 * <p>Socket options of the channel path (SSL_GET, and everything where there is no epoll), and why:
 * TCP_NODELAY, because a check writes one small request and waits for its answer, so Nagle's delay
 * would only add latency. No SO_LINGER: keepalived 2.x sets a linger of 5 s ("free the tcp port
 * after closing the socket descriptor, but allow time for a proper shutdown",
 * keepalived/core/layer4.c socket_bind_connect), which on a blocking close means "a normal FIN, but
 * wait for it"; the kernel's default close sends the same FIN without blocking, and Netty would
 * otherwise move every close off the event loop to honour a positive linger. SO_LINGER 0 on every
 * close (what keepalived 1.x did) would turn each into an RST that real servers log as resets. The
 * bare sockets of HTTP_GET and TCP_CHECK ({@link EpollTcpAttempt}) set no option: their one small
 * write goes out at once (Nagle holds data only while earlier data is unacknowledged), and they
 * reset only a connection the server has already closed; see {@link TcpProber} for where TIME_WAIT
 * lands.
 */
public final class CheckEventLoops implements AutoCloseable {
  private static final long SHUTDOWN_TIMEOUT_SECONDS = 5;

  private final EventLoopGroup group;
  private final Bootstrap tcpTemplate;
  private final Class<? extends DatagramChannel> datagramChannel;
  private final boolean epoll;

  /** One event loop thread. */
  public CheckEventLoops() {
    this(1);
  }

  public CheckEventLoops(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException(
          "check event loops need at least 1 thread, not " + threads);
    }
    this.epoll = Epoll.isAvailable();
    this.group =
        new MultiThreadIoEventLoopGroup(
            threads,
            new DefaultThreadFactory("check-loop", true),
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    this.datagramChannel = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
    this.tcpTemplate =
        new Bootstrap()
            .group(group)
            .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, false);
  }

  public EventLoopGroup group() {
    return group;
  }

  /**
   * The loop for an attempt on a bare socket ({@link EpollTcpAttempt}), or empty when the loops are
   * not epoll (no native transport for this machine) and attempts must use Netty channels.
   */
  Optional<IoEventLoop> epollLoop() {
    if (!epoll) {
      return Optional.empty();
    }
    // The caller's own loop when it is one of ours: the attempt then never crosses threads.
    for (EventExecutor loop : group) {
      if (loop.inEventLoop()) {
        return Optional.of((IoEventLoop) loop);
      }
    }
    return Optional.of((IoEventLoop) group.next());
  }

  /** The UDP channel type that runs on {@link #group()}. */
  public Class<? extends DatagramChannel> datagramChannel() {
    return datagramChannel;
  }

  /**
   * A fresh copy of the TCP bootstrap template, for one attempt to add its handler, connect timeout
   * and addresses to. Cloning copies a few small maps; the group and the channel factory are
   * shared.
   */
  Bootstrap tcpBootstrap() {
    return tcpTemplate.clone();
  }

  /** True once {@link #close()} has begun: new attempts can no longer run. */
  public boolean isClosed() {
    return group.isShuttingDown();
  }

  /**
   * Shuts the group down without a quiet period (the channels of checks in flight are closed) and
   * waits a few seconds at most for the threads to end. Probers asked for an attempt afterwards
   * answer down at once.
   */
  @Override
  public void close() {
    group.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    group.terminationFuture().awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }
}
