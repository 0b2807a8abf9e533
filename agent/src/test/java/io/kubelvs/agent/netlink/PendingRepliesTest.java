package io.kubelvs.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingRepliesTest {
  final PendingReplies pending = new PendingReplies();

  @Test
  void requestIsAnsweredByItsAckAfterTheReplyInALaterDatagram() {
    pending.expect(1, request("RTM_GETLINK lo"), false);
    NetlinkMessage reply = new NetlinkMessage(Rtnetlink.RTM_NEWLINK, 0, 1, 0, new byte[16]);

    assertThat(pending.accept(reply)).isTrue();
    assertThat(pending.complete()).isFalse();
    assertThat(pending.accept(ack(1, 0))).isTrue();

    assertThat(pending.complete()).isTrue();
    assertThat(pending.replies().get(0).orThrow()).containsExactly(reply);
  }

  @Test
  void refusalBecomesAnExceptionNamingTheOperation() {
    pending.expect(5, request("RTM_NEWADDR 198.18.0.50/32 on eth0"), false);

    pending.accept(ack(5, -17));

    NetlinkReply reply = pending.replies().get(0);
    assertThat(reply.failed()).isTrue();
    assertThatThrownBy(reply::orThrow)
        .isInstanceOf(NetlinkException.class)
        .hasMessage("RTM_NEWADDR 198.18.0.50/32 on eth0: EEXIST (File exists)");
  }

  @Test
  void answersToABatchMatchBySequenceWhateverTheirOrder() {
    pending.expect(10, request("first"), false);
    pending.expect(11, request("second"), false);

    pending.accept(ack(11, -19));
    assertThat(pending.complete()).isFalse();
    pending.accept(ack(10, 0));

    List<NetlinkReply> replies = pending.replies();
    assertThat(replies)
        .extracting(r -> r.request().description())
        .containsExactly("first", "second");
    assertThat(replies).extracting(NetlinkReply::failed).containsExactly(false, true);
  }

  @Test
  void dumpCollectsEveryPartUntilDone() {
    pending.expect(3, request("RTM_GETLINK dump"), true);

    for (int i = 0; i < 3; i++) {
      pending.accept(
          new NetlinkMessage(Rtnetlink.RTM_NEWLINK, Netlink.NLM_F_MULTI, 3, 0, new byte[16]));
    }
    assertThat(pending.complete()).isFalse();
    pending.accept(new NetlinkMessage(Netlink.NLMSG_DONE, Netlink.NLM_F_MULTI, 3, 0, new byte[4]));

    assertThat(pending.replies().get(0).orThrow()).hasSize(3);
  }

  @Test
  void interruptedDumpIsAnErrorNotAQuietlyInconsistentTable() {
    pending.expect(3, request("RTM_GETADDR dump"), true);

    pending.accept(
        new NetlinkMessage(
            Rtnetlink.RTM_NEWADDR,
            Netlink.NLM_F_MULTI | Netlink.NLM_F_DUMP_INTR,
            3,
            0,
            new byte[8]));
    pending.accept(new NetlinkMessage(Netlink.NLMSG_DONE, Netlink.NLM_F_MULTI, 3, 0, new byte[4]));

    assertThat(pending.replies().get(0).error().errnoName()).isEqualTo("EINTR");
  }

  @Test
  void doneWithAnErrorFailsTheDump() {
    pending.expect(4, request("IPVS_CMD_GET_SERVICE dump"), true);
    byte[] error = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(-95).array();

    pending.accept(new NetlinkMessage(Netlink.NLMSG_DONE, 0, 4, 0, error));

    assertThat(pending.replies().get(0).error())
        .hasMessage("IPVS_CMD_GET_SERVICE dump: EOPNOTSUPP (Operation not supported)");
  }

  @Test
  void messagesOfOtherSequencesAreNotTaken() {
    pending.expect(1, request("mine"), false);

    assertThat(pending.accept(ack(99, 0))).isFalse();
    pending.accept(ack(1, 0));
    assertThat(pending.accept(ack(1, 0))).as("an answer after completion").isFalse();
  }

  @Test
  void repliesBeforeCompletionAreAProgrammingError() {
    pending.expect(1, request("mine"), false);

    assertThatThrownBy(pending::replies).isInstanceOf(IllegalStateException.class);
  }

  static NetlinkRequest request(String description) {
    return new NetlinkRequest(
        NetlinkMessage.request(Rtnetlink.RTM_GETLINK, 0, new byte[16]), description);
  }

  static NetlinkMessage ack(int sequence, int error) {
    NetlinkMessage request =
        NetlinkMessage.request(Rtnetlink.RTM_GETLINK, 0, new byte[0]).withSequence(sequence);
    byte[] payload =
        ByteBuffer.allocate(20)
            .order(ByteOrder.nativeOrder())
            .putInt(error)
            .put(request.encode())
            .array();
    return new NetlinkMessage(Netlink.NLMSG_ERROR, Netlink.NLM_F_CAPPED, sequence, 0, payload);
  }
}
