package io.kubelvs.agent.netlink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches received messages to the requests of one exchange by sequence number, and knows when each
 * is answered: a request (sent with NLM_F_ACK) by its NLMSG_ERROR, which comes after any reply and
 * possibly in a later datagram; a dump by NLMSG_DONE, or by an NLMSG_ERROR if the kernel refused to
 * start it. No I/O, so the rules are testable on their own.
 */
final class PendingReplies {
  private final Map<Integer, Pending> bySequence = new LinkedHashMap<>();
  private int open;

  /** Registers a sent request; {@code dump} says it was sent with NLM_F_DUMP. */
  void expect(int sequence, NetlinkRequest request, boolean dump) {
    if (bySequence.put(sequence, new Pending(request, dump)) != null) {
      throw new IllegalStateException("sequence number " + sequence + " is already pending");
    }
    open++;
  }

  /** Takes one received message; false when it answers none of the pending requests. */
  boolean accept(NetlinkMessage message) {
    Pending pending = bySequence.get(message.sequence());
    if (pending == null || pending.outcome != null) {
      return false;
    }
    switch (message.type()) {
      case Netlink.NLMSG_NOOP -> {}
      case Netlink.NLMSG_ERROR -> finish(pending, NetlinkAck.decodeError(message));
      case Netlink.NLMSG_DONE -> {
        // A multi-part answer to a plain request ends with DONE too; its ACK still follows.
        if (pending.dump) {
          finish(pending, NetlinkAck.decodeDone(message));
        }
      }
      case Netlink.NLMSG_OVERRUN ->
          finish(pending, new NetlinkAck(-Errno.ENOBUFS.code(), "NLMSG_OVERRUN", -1));
      default -> {
        pending.interrupted |= message.hasFlags(Netlink.NLM_F_DUMP_INTR);
        pending.messages.add(message);
      }
    }
    return true;
  }

  boolean complete() {
    return open == 0;
  }

  /** The answers in the order the requests were registered; call once {@link #complete()}. */
  List<NetlinkReply> replies() {
    if (!complete()) {
      throw new IllegalStateException(open + " requests are still unanswered");
    }
    List<NetlinkReply> replies = new ArrayList<>(bySequence.size());
    for (Pending pending : bySequence.values()) {
      replies.add(pending.reply());
    }
    return replies;
  }

  private void finish(Pending pending, NetlinkAck outcome) {
    pending.outcome = outcome;
    open--;
  }

  private static final class Pending {
    private final NetlinkRequest request;
    private final boolean dump;
    private final List<NetlinkMessage> messages = new ArrayList<>();
    private NetlinkAck outcome;
    private boolean interrupted;

    Pending(NetlinkRequest request, boolean dump) {
      this.request = request;
      this.dump = dump;
    }

    NetlinkReply reply() {
      String operation = request.description();
      if (!outcome.isSuccess()) {
        NetlinkException refusal =
            new NetlinkException(operation, outcome.errno(), outcome.kernelMessage());
        return new NetlinkReply(request, List.of(), refusal);
      }
      if (interrupted) {
        NetlinkException inconsistent =
            new NetlinkException(
                operation,
                Errno.EINTR.code(),
                null,
                "the dump was interrupted by a concurrent change (NLM_F_DUMP_INTR) and may be"
                    + " inconsistent");
        return new NetlinkReply(request, List.of(), inconsistent);
      }
      return new NetlinkReply(request, messages, null);
    }
  }
}
