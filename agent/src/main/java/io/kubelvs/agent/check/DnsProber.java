package io.kubelvs.agent.check;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.PortUnreachableException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * keepalived's DNS_CHECK (check_dns.c): one query over a connected UDP socket, with a random ID,
 * recursion desired, one question of the configured type and name in class IN. keepalived reads
 * only the header of what comes back (dns_recv_thread):
 *
 * <ul>
 *   <li>a datagram shorter than a header, with another ID, or without the QR bit is skipped, and
 *       the wait goes on;
 *   <li>the first reply with our ID and QR set decides: RCODE NOERROR is up, whatever the answer
 *       count, the record types or the TC bit; any other RCODE is down;
 *   <li>nothing that decides within connect_timeout is down; so is an ICMP port unreachable, which
 *       the connected socket reports as ECONNREFUSED.
 * </ul>
 *
 * Runs on the Netty event loop group; each attempt has its own channel, closed when it ends.
 */
public final class DnsProber implements Prober {
  private final DnsCheck check;
  private final byte[] encodedName;
  private final EventLoopGroup group;
  private final Class<? extends DatagramChannel> channelType;

  /**
   * @throws IllegalArgumentException when the name cannot be a DNS name (empty or over-long label)
   */
  /** A prober on a group of NIO event loops. */
  public DnsProber(DnsCheck check, EventLoopGroup group) {
    this(check, group, NioDatagramChannel.class);
  }

  /** A prober on {@code group}, whose loops run channels of {@code channelType}. */
  public DnsProber(
      DnsCheck check, EventLoopGroup group, Class<? extends DatagramChannel> channelType) {
    this.check = Objects.requireNonNull(check, "check");
    this.group = Objects.requireNonNull(group, "group");
    this.channelType = Objects.requireNonNull(channelType, "channelType");
    this.encodedName = DnsCheckCodec.encodeName(check.name());
  }

  @Override
  public CompletableFuture<ProbeResult> probe(ProbeTarget target) {
    int id = ThreadLocalRandom.current().nextInt(1 << 16);
    Exchange exchange = new Exchange(id, target);
    Bootstrap bootstrap = new Bootstrap().group(group).channel(channelType).handler(exchange);
    ChannelFuture connected =
        target
            .bind()
            .map(local -> bootstrap.connect(target.address(), local))
            .orElseGet(() -> bootstrap.connect(target.address()));
    connected.addListener((ChannelFutureListener) exchange::connected);
    return exchange.result;
  }

  /** One query and its reply; runs on its channel's event loop. */
  private final class Exchange extends SimpleChannelInboundHandler<DatagramPacket> {
    private final int id;
    private final ProbeTarget target;
    private final CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    private Channel channel;
    private Future<?> timeout;
    private String lastSkipped;

    Exchange(int id, ProbeTarget target) {
      this.id = id;
      this.target = target;
    }

    void connected(ChannelFuture future) {
      channel = future.channel();
      if (!future.isSuccess()) {
        finish(ProbeResult.down("cannot set up the DNS query: " + future.cause()));
        return;
      }
      try {
        timeout =
            channel
                .eventLoop()
                .schedule(this::expire, target.connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        finish(ProbeResult.down("DNS_CHECK is shutting down"));
        return;
      }
      ByteBuf query = Unpooled.wrappedBuffer(DnsCheckCodec.query(id, check.type(), encodedName));
      channel
          .writeAndFlush(query)
          .addListener(
              written -> {
                if (!written.isSuccess()) {
                  finish(ProbeResult.down("cannot send the DNS query: " + written.cause()));
                }
              });
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, DatagramPacket packet) {
      ByteBuf content = packet.content();
      byte[] start = new byte[Math.min(content.readableBytes(), DnsCheckCodec.HEADER_LENGTH)];
      content.getBytes(content.readerIndex(), start);
      DnsCheckCodec.Header header = DnsCheckCodec.header(start).orElse(null);
      if (header == null) {
        lastSkipped = "DNS reply of " + content.readableBytes() + " bytes, shorter than a header";
      } else if (header.id() != id) {
        lastSkipped = "DNS reply id mismatch (0x%04x, sent 0x%04x)".formatted(header.id(), id);
      } else if (!header.isResponse()) {
        lastSkipped = "DNS message without the QR (response) bit";
      } else if (header.rcode() != 0) {
        finish(ProbeResult.down("DNS " + header.rcodeName()));
      } else {
        finish(ProbeResult.up("DNS NOERROR"));
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      if (cause instanceof PortUnreachableException) {
        finish(ProbeResult.down("ICMP port unreachable"));
      } else {
        finish(ProbeResult.down("DNS receive failed: " + cause));
      }
    }

    private void expire() {
      String within = " within " + DurationText.of(target.connectTimeout());
      finish(
          ProbeResult.down(
              lastSkipped == null
                  ? "no DNS reply" + within
                  : lastSkipped + "; no valid DNS reply" + within));
    }

    private void finish(ProbeResult outcome) {
      if (result.complete(outcome)) {
        if (timeout != null) {
          timeout.cancel(false);
        }
        if (channel != null) {
          channel.close();
        }
      }
    }
  }
}
