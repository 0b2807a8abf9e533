package io.kubelvs.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubelvs.agent.testing.Privileges;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** NETLINK_ROUTE against this machine's kernel; read-only, so the host is never changed. */
class NetlinkSocketTest {
  static final int NO_SUCH_INDEX = 999_999;

  NetlinkSocket socket;

  @BeforeEach
  void open() {
    socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE);
  }

  @AfterEach
  void close() {
    socket.close();
  }

  @Test
  void dumpOfLinksFindsLoopbackAtIndexOne() {
    List<NetlinkMessage> links = socket.dump(LinkMessages.dumpLinks(), "RTM_GETLINK dump");

    assertThat(links).allMatch(m -> m.type() == Rtnetlink.RTM_NEWLINK);
    NetlinkMessage loopback =
        links.stream().filter(l -> LinkMessages.name(l).equals("lo")).findFirst().orElseThrow();
    assertThat(LinkMessages.index(loopback)).isEqualTo(1);
  }

  @Test
  void requestReturnsTheReplyThatCameBeforeItsAck() {
    List<NetlinkMessage> replies = socket.request(LinkMessages.getLink(1), "RTM_GETLINK ifindex 1");

    assertThat(replies)
        .singleElement()
        .satisfies(link -> assertThat(LinkMessages.name(link)).isEqualTo("lo"));
  }

  @Test
  void refusalNamesTheErrnoAndTheCallersDescription() {
    assertThatThrownBy(
            () -> socket.request(LinkMessages.getLink(NO_SUCH_INDEX), "RTM_GETLINK ifindex 999999"))
        .isInstanceOfSatisfying(
            NetlinkException.class,
            e -> {
              assertThat(e.errno()).isEqualTo(Errno.ENODEV.code());
              assertThat(e.errnoName()).isEqualTo("ENODEV");
              assertThat(e.operation()).isEqualTo("RTM_GETLINK ifindex 999999");
            })
        .hasMessageStartingWith("RTM_GETLINK ifindex 999999: ENODEV (No such device)");
  }

  @Test
  void hundredRequestsGoOutInOneSendmsgAndAreAnsweredBySequence() {
    List<NetlinkRequest> requests = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      requests.add(new NetlinkRequest(LinkMessages.getLink(1), "RTM_GETLINK ifindex 1 #" + i));
    }

    List<NetlinkReply> replies = socket.requestAll(requests);

    assertThat(socket.datagramsSent()).isEqualTo(1);
    assertThat(socket.requestsSent()).isEqualTo(100);
    assertThat(replies).hasSize(100).allMatch(r -> !r.failed() && r.messages().size() == 1);
    List<Integer> sequences = replies.stream().map(r -> r.messages().get(0).sequence()).toList();
    assertThat(sequences).isEqualTo(IntStream.rangeClosed(1, 100).boxed().toList());
    assertThat(replies).allMatch(r -> LinkMessages.name(r.messages().get(0)).equals("lo"));
  }

  @Test
  void oneRefusalInABatchLeavesTheOthersAnswered() {
    List<NetlinkReply> replies =
        socket.requestAll(
            List.of(
                new NetlinkRequest(LinkMessages.getLink(1), "lo"),
                new NetlinkRequest(LinkMessages.getLink(NO_SUCH_INDEX), "missing"),
                new NetlinkRequest(LinkMessages.getLink(1), "lo again")));

    assertThat(replies).extracting(NetlinkReply::failed).containsExactly(false, true, false);
    assertThat(replies.get(1).error()).hasMessageStartingWith("missing: ENODEV");
  }

  @Test
  void batchesLargerThanTheLimitAreSplitIntoSeveralDatagrams() {
    socket.close();
    socket =
        NetlinkSocket.open(
            Netlink.NETLINK_ROUTE, NetlinkSocketOptions.defaults().withMaxBatchMessages(8));
    List<NetlinkRequest> requests =
        IntStream.range(0, 20)
            .mapToObj(i -> new NetlinkRequest(LinkMessages.getLink(1), "lo"))
            .toList();

    assertThat(socket.requestAll(requests)).hasSize(20).noneMatch(NetlinkReply::failed);
    assertThat(socket.datagramsSent()).isEqualTo(3);
  }

  @Test
  void automaticBatchesFitTheirAnswersInTheReceiveBuffer() {
    socket.close();
    // 208 KiB, which the kernel doubles: room for 104 answers of 4 KiB, and 200 links need more.
    socket =
        NetlinkSocket.open(
            Netlink.NETLINK_ROUTE, NetlinkSocketOptions.defaults().withReceiveBufferBytes(212_992));
    List<NetlinkRequest> requests =
        IntStream.range(0, 200)
            .mapToObj(i -> new NetlinkRequest(LinkMessages.getLink(1), "lo"))
            .toList();

    assertThat(socket.requestAll(requests)).hasSize(200).noneMatch(NetlinkReply::failed);
    assertThat(socket.datagramsSent()).isEqualTo(2);
  }

  @Test
  void overrunOfTheReceiveBufferFailsLoudly() {
    socket.close();
    socket =
        NetlinkSocket.open(
            Netlink.NETLINK_ROUTE,
            NetlinkSocketOptions.defaults().withReceiveBufferBytes(4096).withMaxBatchMessages(200));
    List<NetlinkRequest> requests =
        IntStream.range(0, 200)
            .mapToObj(i -> new NetlinkRequest(LinkMessages.getLink(1), "RTM_GETLINK lo"))
            .toList();

    assertThatThrownBy(() -> socket.requestAll(requests))
        .isInstanceOfSatisfying(
            NetlinkException.class, e -> assertThat(e.is(Errno.ENOBUFS)).isTrue())
        .hasMessageContaining("ENOBUFS (No buffer space available)")
        .hasMessageContaining("the kernel dropped answers");
  }

  @Test
  void socketStaysUsableAfterARefusal() {
    assertThatThrownBy(() -> socket.request(LinkMessages.getLink(NO_SUCH_INDEX), "missing"))
        .isInstanceOf(NetlinkException.class);

    assertThat(socket.request(LinkMessages.getLink(1), "lo")).hasSize(1);
  }

  @Test
  void receiveBufferIsForcedPastRmemMaxWithCapNetAdmin() {
    Privileges.requireRoot("force SO_RCVBUF past net.core.rmem_max (SO_RCVBUFFORCE)");
    int bytes = 16 * 1024 * 1024;
    try (NetlinkSocket big =
        NetlinkSocket.open(
            Netlink.NETLINK_ROUTE, NetlinkSocketOptions.defaults().withReceiveBufferBytes(bytes))) {
      // The kernel doubles the value for its bookkeeping and reports the doubled size.
      assertThat(big.receiveBufferBytes()).isEqualTo(2 * bytes);
    }
  }

  @Test
  void dumpsAreRefusedAsPlainRequests() {
    NetlinkMessage dump = LinkMessages.dumpLinks().withFlags(Netlink.NLM_F_DUMP);

    assertThatThrownBy(() -> socket.request(dump, "RTM_GETLINK dump"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("send dumps with dump()");
  }

  @Test
  void closedSocketSaysSo() {
    socket.close();

    assertThatThrownBy(() -> socket.request(LinkMessages.getLink(1), "lo"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
