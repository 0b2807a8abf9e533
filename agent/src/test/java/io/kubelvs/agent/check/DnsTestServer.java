package io.kubelvs.agent.check;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real DNS server on a loopback address for DNS_CHECK tests, written with Netty's DNS codec (an
 * implementation independent of the prober's): it decodes each query, records it, and sends back
 * whatever datagrams {@code replies} makes of it, built with {@link #response} or by hand.
 */
final class DnsTestServer implements AutoCloseable {
  /** What a query asked, as Netty's decoder read it. */
  record Query(int id, String name, int type, int dnsClass, boolean recursionDesired, byte[] raw) {}

  private final Channel channel;
  private final BlockingQueue<Query> queries = new LinkedBlockingQueue<>();
  // Written and read on the server channel's event loop, one datagram after the other.
  private volatile byte[] lastRaw = new byte[0];

  private DnsTestServer(
      EventLoopGroup group, InetAddress address, Function<DatagramDnsQuery, List<byte[]>> replies)
      throws InterruptedException {
    this.channel =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .handler(
                new ChannelInitializer<DatagramChannel>() {
                  @Override
                  protected void initChannel(DatagramChannel channel) {
                    channel
                        .pipeline()
                        .addLast(new RawCopy(), new DatagramDnsQueryDecoder(), new Answer(replies));
                  }
                })
            .bind(new InetSocketAddress(address, 0))
            .sync()
            .channel();
  }

  static DnsTestServer start(
      EventLoopGroup group, InetAddress address, Function<DatagramDnsQuery, List<byte[]>> replies)
      throws InterruptedException {
    return new DnsTestServer(group, address, replies);
  }

  /** Keeps the query's bytes for the next handler, which only sees the decoded query. */
  private final class RawCopy extends SimpleChannelInboundHandler<DatagramPacket> {
    private RawCopy() {
      super(false);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, DatagramPacket packet) {
      lastRaw = ByteBufUtil.getBytes(packet.content());
      context.fireChannelRead(packet);
    }
  }

  private final class Answer extends SimpleChannelInboundHandler<DatagramDnsQuery> {
    private final Function<DatagramDnsQuery, List<byte[]>> replies;

    private Answer(Function<DatagramDnsQuery, List<byte[]>> replies) {
      this.replies = replies;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, DatagramDnsQuery query) {
      DnsQuestion question = query.recordAt(DnsSection.QUESTION);
      queries.add(
          new Query(
              query.id(),
              question.name(),
              question.type().intValue(),
              question.dnsClass(),
              query.isRecursionDesired(),
              lastRaw));
      for (byte[] reply : replies.apply(query)) {
        context.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(reply), query.sender()));
      }
    }
  }

  /**
   * The bytes of a response to {@code query} with {@code code}, echoing its question, with one A
   * record answering it when {@code answer}, and the TC bit when {@code truncated}.
   */
  static byte[] response(
      DatagramDnsQuery query, DnsResponseCode code, boolean answer, boolean truncated) {
    DnsQuestion question = query.recordAt(DnsSection.QUESTION);
    DatagramDnsResponse response =
        new DatagramDnsResponse(
            query.recipient(), query.sender(), query.id(), DnsOpCode.QUERY, code);
    response.setRecursionDesired(query.isRecursionDesired());
    response.setTruncated(truncated);
    response.addRecord(
        DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type()));
    if (answer) {
      response.addRecord(
          DnsSection.ANSWER,
          new DefaultDnsRawRecord(
              question.name(),
              DnsRecordType.A,
              60,
              Unpooled.wrappedBuffer(new byte[] {(byte) 198, 18, 0, 80})));
    }
    EmbeddedChannel encoder = new EmbeddedChannel(new DatagramDnsResponseEncoder());
    encoder.writeOutbound(response);
    DatagramPacket packet = encoder.readOutbound();
    try {
      return ByteBufUtil.getBytes(packet.content());
    } finally {
      packet.release();
      encoder.finishAndReleaseAll();
    }
  }

  InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  /** The next query the server got, waiting up to 10 s for it. */
  Query next() throws InterruptedException {
    Query next = queries.poll(10, TimeUnit.SECONDS);
    if (next == null) {
      throw new AssertionError("the DNS server at " + address() + " got no query in 10 s");
    }
    return next;
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }
}
