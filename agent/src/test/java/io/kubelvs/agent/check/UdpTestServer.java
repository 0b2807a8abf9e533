package io.kubelvs.agent.check;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real UDP server on a loopback address for UDP_CHECK tests: it records every datagram and
 * answers each with whatever {@code replies} returns for its bytes (nothing: an empty list).
 */
final class UdpTestServer implements AutoCloseable {
  /** What one datagram carried and who sent it. */
  record Received(byte[] payload, InetSocketAddress sender) {}

  private final Channel channel;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

  private UdpTestServer(
      EventLoopGroup group, InetAddress address, Function<byte[], List<byte[]>> replies)
      throws InterruptedException {
    this.channel =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .handler(
                new SimpleChannelInboundHandler<DatagramPacket>() {
                  @Override
                  protected void channelRead0(
                      ChannelHandlerContext context, DatagramPacket packet) {
                    byte[] payload = ByteBufUtil.getBytes(packet.content());
                    received.add(new Received(payload, packet.sender()));
                    for (byte[] reply : replies.apply(payload)) {
                      context.writeAndFlush(
                          new DatagramPacket(Unpooled.wrappedBuffer(reply), packet.sender()));
                    }
                  }
                })
            .bind(new InetSocketAddress(address, 0))
            .sync()
            .channel();
  }

  static UdpTestServer start(
      EventLoopGroup group, InetAddress address, Function<byte[], List<byte[]>> replies)
      throws InterruptedException {
    return new UdpTestServer(group, address, replies);
  }

  /** Sends every datagram back as it came. */
  static UdpTestServer echo(EventLoopGroup group, InetAddress address) throws InterruptedException {
    return start(group, address, payload -> List.of(payload));
  }

  InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  /** The next datagram the server got, waiting up to 10 s for it. */
  Received next() throws InterruptedException {
    Received next = received.poll(10, TimeUnit.SECONDS);
    if (next == null) {
      throw new AssertionError("the UDP server at " + address() + " got no datagram in 10 s");
    }
    return next;
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }
}
