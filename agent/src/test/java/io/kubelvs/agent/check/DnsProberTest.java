package io.kubelvs.agent.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.check.DnsCheck.DnsQueryType;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** DNS_CHECK against a real DNS server on loopback, built with Netty's DNS codec. */
class DnsProberTest {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  static final Duration TIMEOUT = Duration.ofSeconds(1);
  static final DnsCheck EXAMPLE_A = new DnsCheck(DnsQueryType.A, "example.com");

  EventLoopGroup group;

  @BeforeEach
  void start() {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  }

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
  }

  ProbeResult probe(DnsCheck check, InetSocketAddress address) throws Exception {
    return new DnsProber(check, group)
        .probe(ProbeTarget.of(address, TIMEOUT))
        .get(10, TimeUnit.SECONDS);
  }

  /** Probes a server that answers each query with the datagrams {@code replies} makes. */
  ProbeResult probeServer(Function<DatagramDnsQuery, List<byte[]>> replies) throws Exception {
    try (DnsTestServer server = DnsTestServer.start(group, LOOPBACK, replies)) {
      return probe(EXAMPLE_A, server.address());
    }
  }

  static Function<DatagramDnsQuery, List<byte[]>> answer(DnsResponseCode code, boolean records) {
    return query -> List.of(DnsTestServer.response(query, code, records, false));
  }

  @Test
  void asksOneQuestionOfTheTypeAndNameInClassInWithRecursionDesired() throws Exception {
    try (DnsTestServer server =
        DnsTestServer.start(group, LOOPBACK, answer(DnsResponseCode.NOERROR, true))) {
      probe(EXAMPLE_A, server.address());

      DnsTestServer.Query query = server.next();
      assertThat(query.name()).isEqualTo("example.com.");
      assertThat(query.type()).isEqualTo(DnsRecordType.A.intValue());
      assertThat(query.dnsClass()).isEqualTo(1);
      assertThat(query.recursionDesired()).isTrue();
      assertThat(query.raw()).hasSize(12 + 13 + 4);
    }
  }

  @ParameterizedTest
  @EnumSource(DnsQueryType.class)
  void asksForEachTypeByItsCode(DnsQueryType type) throws Exception {
    try (DnsTestServer server =
        DnsTestServer.start(group, LOOPBACK, answer(DnsResponseCode.NOERROR, false))) {
      probe(new DnsCheck(type, "."), server.address());

      DnsTestServer.Query query = server.next();
      assertThat(query.type()).isEqualTo(DnsRecordType.valueOf(type.name()).intValue());
      assertThat(query.name()).isEqualTo(".");
    }
  }

  @Test
  void eachAttemptHasItsOwnRandomId() throws Exception {
    try (DnsTestServer server =
        DnsTestServer.start(group, LOOPBACK, answer(DnsResponseCode.NOERROR, false))) {
      int[] ids = new int[8];
      for (int i = 0; i < ids.length; i++) {
        probe(EXAMPLE_A, server.address());
        ids[i] = server.next().id();
      }

      assertThat(Arrays.stream(ids).distinct().count()).isGreaterThan(1);
    }
  }

  @Test
  void noErrorWithAnAnswerIsUp() throws Exception {
    assertThat(probeServer(answer(DnsResponseCode.NOERROR, true)))
        .isEqualTo(ProbeResult.up("DNS NOERROR"));
  }

  /** keepalived reads only the header: an empty answer section does not matter. */
  @Test
  void noErrorWithoutAnswersIsUp() throws Exception {
    assertThat(probeServer(answer(DnsResponseCode.NOERROR, false)))
        .isEqualTo(ProbeResult.up("DNS NOERROR"));
  }

  @Test
  void truncatedNoErrorReplyIsUp() throws Exception {
    assertThat(
            probeServer(
                query ->
                    List.of(DnsTestServer.response(query, DnsResponseCode.NOERROR, false, true))))
        .isEqualTo(ProbeResult.up("DNS NOERROR"));
  }

  @Test
  void nxdomainIsDown() throws Exception {
    assertThat(probeServer(answer(DnsResponseCode.NXDOMAIN, false)))
        .isEqualTo(ProbeResult.down("DNS NXDOMAIN"));
  }

  @Test
  void servfailIsDown() throws Exception {
    assertThat(probeServer(answer(DnsResponseCode.SERVFAIL, false)))
        .isEqualTo(ProbeResult.down("DNS SERVFAIL"));
  }

  @Test
  void refusedIsDown() throws Exception {
    assertThat(probeServer(answer(DnsResponseCode.REFUSED, false)))
        .isEqualTo(ProbeResult.down("DNS REFUSED"));
  }

  @Test
  void replyWithAnotherIdIsSkippedAndTheAttemptTimesOut() throws Exception {
    ProbeResult result =
        probeServer(
            query ->
                List.of(
                    withId(
                        DnsTestServer.response(query, DnsResponseCode.NOERROR, true, false),
                        query.id() ^ 1)));

    assertThat(result.healthy()).isFalse();
    assertThat(result.reason())
        .startsWith("DNS reply id mismatch (0x")
        .endsWith("; no valid DNS reply within 1s");
  }

  @Test
  void replyWithTheRightIdAfterOneWithAnotherIsUp() throws Exception {
    ProbeResult result =
        probeServer(
            query -> {
              byte[] good = DnsTestServer.response(query, DnsResponseCode.NOERROR, true, false);
              return List.of(withId(good, query.id() ^ 0x8000), good);
            });

    assertThat(result).isEqualTo(ProbeResult.up("DNS NOERROR"));
  }

  @Test
  void datagramShorterThanAHeaderIsSkipped() throws Exception {
    ProbeResult result =
        probeServer(
            query ->
                List.of(
                    Arrays.copyOf(
                        DnsTestServer.response(query, DnsResponseCode.NXDOMAIN, false, false), 5)));

    assertThat(result)
        .isEqualTo(
            ProbeResult.down(
                "DNS reply of 5 bytes, shorter than a header; no valid DNS reply within 1s"));
  }

  @Test
  void queryEchoedBackWithoutTheQrBitIsSkipped() throws Exception {
    // The server sends the prober's own query back: the right id, but QR clear.
    ProbeResult result =
        probeServer(
            query ->
                List.of(
                    DnsCheckCodec.query(
                        query.id(), DnsQueryType.A, DnsCheckCodec.encodeName("example.com"))));

    assertThat(result)
        .isEqualTo(
            ProbeResult.down(
                "DNS message without the QR (response) bit; no valid DNS reply within 1s"));
  }

  @Test
  void silentServerIsDown() throws Exception {
    assertThat(probeServer(query -> List.of()))
        .isEqualTo(ProbeResult.down("no DNS reply within 1s"));
  }

  @Test
  void closedPortIsDownByItsIcmpPortUnreachable() throws Exception {
    InetSocketAddress closed;
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
      closed = new InetSocketAddress(LOOPBACK, socket.getLocalPort());
    }

    assertThat(probe(EXAMPLE_A, closed)).isEqualTo(ProbeResult.down("ICMP port unreachable"));
  }

  @Test
  void ipv6ServerIsAskedToo() throws Exception {
    try (DnsTestServer server =
        DnsTestServer.start(
            group, InetAddress.getByName("::1"), answer(DnsResponseCode.NOERROR, true))) {
      assertThat(probe(EXAMPLE_A, server.address())).isEqualTo(ProbeResult.up("DNS NOERROR"));
    }
  }

  static byte[] withId(byte[] reply, int id) {
    byte[] copy = reply.clone();
    copy[0] = (byte) (id >>> 8);
    copy[1] = (byte) id;
    return copy;
  }
}
