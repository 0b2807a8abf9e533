package io.kubelvs.agent.netlink;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A netlink socket to the kernel (NETLINK_ROUTE or NETLINK_GENERIC) that sends requests, batched
 * many to a datagram, and matches the kernel's answers to them by sequence number.
 *
 * <p>Every request goes out with NLM_F_ACK, so each one is answered: by its reply messages (if any)
 * and then an NLMSG_ERROR carrying 0 or an errno. Dumps go out alone with NLM_F_DUMP and end at
 * NLMSG_DONE. A socket belongs to one thread at a time.
 */
public final class NetlinkSocket implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NetlinkSocket.class);

  /**
   * Bytes of requests per datagram: well under the kernel's limit of SO_SNDBUF - 32 with the
   * default wmem_default (212992), which we do not raise.
   */
  static final int MAX_BATCH_BYTES = 64 * 1024;

  /**
   * Room for one datagram. Dumps fill at most ~32 KiB per datagram; a larger single message is
   * detected (MSG_TRUNC) and fails loudly instead of being cut.
   */
  static final int DATAGRAM_BYTES = 256 * 1024;

  /** A dump the kernel flags as interrupted by a concurrent change is repeated this often. */
  static final int DUMP_ATTEMPTS = 3;

  private final int fd;
  private final int protocol;
  private final NetlinkSocketOptions options;
  private final int receiveBufferBytes;
  private final ByteBuffer receiveBuffer = Syscalls.direct(DATAGRAM_BYTES);
  private ByteBuffer sendBuffer = Syscalls.direct(MAX_BATCH_BYTES);
  private int lastSequence;
  private long requestsSent;
  private long datagramsSent;
  private boolean closed;

  private NetlinkSocket(int fd, int protocol, NetlinkSocketOptions options) {
    this.fd = fd;
    this.protocol = protocol;
    this.options = options;
    this.receiveBufferBytes =
        Syscalls.getIntOption(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, "SO_RCVBUF");
  }

  public static NetlinkSocket open(int protocol) {
    return open(protocol, NetlinkSocketOptions.defaults());
  }

  /** Opens, configures and binds a socket for {@code protocol} (Netlink.NETLINK_*). */
  public static NetlinkSocket open(int protocol, NetlinkSocketOptions options) {
    int fd = Syscalls.openNetlink(protocol);
    try {
      configure(fd, options);
      Syscalls.bindNetlink(fd, 0, 0);
      return new NetlinkSocket(fd, protocol, options);
    } catch (RuntimeException e) {
      Syscalls.close(fd);
      throw e;
    }
  }

  private static void configure(int fd, NetlinkSocketOptions options) {
    int bytes = options.receiveBufferBytes();
    if (Syscalls.trySetIntOption(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, bytes) != 0) {
      // Without CAP_NET_ADMIN the kernel caps SO_RCVBUF at net.core.rmem_max.
      int errno = Syscalls.trySetIntOption(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, bytes);
      if (errno != 0) {
        throw new NetlinkException("setsockopt(SO_RCVBUF, " + bytes + ")", errno, null);
      }
    }
    // Kernel explanations for refusals (4.12+), and ACKs without a copy of each request (4.3+).
    optionalFlag(fd, Netlink.NETLINK_EXT_ACK, "NETLINK_EXT_ACK");
    optionalFlag(fd, Netlink.NETLINK_CAP_ACK, "NETLINK_CAP_ACK");
  }

  private static void optionalFlag(int fd, int option, String name) {
    int errno = Syscalls.trySetIntOption(fd, Netlink.SOL_NETLINK, option, 1);
    if (errno == Errno.ENOPROTOOPT.code()) {
      log.debug("netlink option unavailable option={}", name);
    } else if (errno != 0) {
      throw new NetlinkException("setsockopt(" + name + ")", errno, null);
    }
  }

  /** Sends one request and returns its reply messages (none for a plain ACK). */
  public List<NetlinkMessage> request(NetlinkMessage message, String description) {
    return requestAll(List.of(new NetlinkRequest(message, description))).get(0).orThrow();
  }

  /**
   * Sends many requests, as few datagrams as the batch limits allow, and returns one answer per
   * request in order. The kernel carries on after refusing one, so each answer stands alone.
   *
   * @throws NetlinkException when answers were lost (ENOBUFS) or did not come (ETIMEDOUT); some of
   *     the batch may then have been applied, so read the kernel's state again
   */
  public List<NetlinkReply> requestAll(List<NetlinkRequest> requests) {
    for (NetlinkRequest request : requests) {
      if (request.message().hasFlags(Netlink.NLM_F_DUMP)) {
        throw new IllegalArgumentException(request.description() + ": send dumps with dump()");
      }
    }
    List<NetlinkReply> replies = new ArrayList<>(requests.size());
    int start = 0;
    while (start < requests.size()) {
      int end = batchEnd(requests, start);
      replies.addAll(exchange(requests.subList(start, end), false));
      start = end;
    }
    return replies;
  }

  /** Dumps a table (NLM_F_DUMP) and returns every message of the multi-part reply. */
  public List<NetlinkMessage> dump(NetlinkMessage message, String description) {
    NetlinkRequest request = new NetlinkRequest(message, description);
    for (int attempt = 1; ; attempt++) {
      NetlinkReply reply = exchange(List.of(request), true).get(0);
      boolean interrupted = reply.failed() && reply.error().is(Errno.EINTR);
      if (!interrupted || attempt == DUMP_ATTEMPTS) {
        return reply.orThrow();
      }
      log.debug("netlink dump interrupted, repeating operation=\"{}\"", description);
    }
  }

  private int batchEnd(List<NetlinkRequest> requests, int start) {
    int end = start + 1;
    int bytes = requests.get(start).message().encodedLength();
    int maxMessages = options.batchLimit(receiveBufferBytes);
    while (end < requests.size() && end - start < maxMessages) {
      bytes += requests.get(end).message().encodedLength();
      if (bytes > MAX_BATCH_BYTES) {
        break;
      }
      end++;
    }
    return end;
  }

  private List<NetlinkReply> exchange(List<NetlinkRequest> batch, boolean dump) {
    checkOpen();
    PendingReplies pending = new PendingReplies();
    sendBuffer.clear();
    int length = 0;
    for (NetlinkRequest request : batch) {
      int sequence = nextSequence();
      int flags = Netlink.NLM_F_REQUEST | (dump ? Netlink.NLM_F_DUMP : Netlink.NLM_F_ACK);
      NetlinkMessage message = request.message();
      length += message.encodedLength();
      ensureSendCapacity(length);
      message.withFlags(message.flags() | flags).withSequence(sequence).encodeTo(sendBuffer);
      pending.expect(sequence, request, dump);
    }
    String operation = describe(batch);
    Syscalls.send(fd, sendBuffer.clear(), length, operation);
    datagramsSent++;
    requestsSent += batch.size();
    receiveUntilComplete(pending, operation);
    return pending.replies();
  }

  private void receiveUntilComplete(PendingReplies pending, String operation) {
    long timeoutNanos = options.timeout().toNanos();
    long deadline = System.nanoTime() + timeoutNanos;
    while (!pending.complete()) {
      long received = Syscalls.receive(fd, receiveBuffer);
      if (received == -Errno.EAGAIN.code()) {
        awaitDatagram(deadline, operation);
        continue;
      }
      checkReceived(received, operation);
      deadline = System.nanoTime() + timeoutNanos;
      for (NetlinkMessage message :
          NetlinkMessage.decodeAll(receiveBuffer.slice(0, (int) received))) {
        if (!pending.accept(message)) {
          // An answer to an earlier exchange that gave up (timeout, error) arrives late.
          log.debug(
              "netlink stale message dropped type={} seq={}", message.type(), message.sequence());
        }
      }
    }
  }

  private void awaitDatagram(long deadline, String operation) {
    long remainingMillis = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
    int pollMillis = (int) Math.min(remainingMillis, Integer.MAX_VALUE);
    if (remainingMillis <= 0 || !Syscalls.awaitReadable(fd, pollMillis, operation)) {
      throw new NetlinkException(
          operation,
          Errno.ETIMEDOUT.code(),
          null,
          "no answer from the kernel within " + options.timeout().toMillis() + " ms");
    }
  }

  private void checkReceived(long received, String operation) {
    if (received == -Errno.ENOBUFS.code()) {
      // The queue overflowed and the kernel dropped answers: never let a dump look complete.
      throw new NetlinkException(
          operation,
          Errno.ENOBUFS.code(),
          null,
          "the socket's receive buffer ("
              + receiveBufferBytes
              + " bytes) overflowed and the kernel dropped answers; send smaller batches or"
              + " raise receiveBufferBytes, then read the kernel's state again");
    }
    if (received < 0) {
      throw new NetlinkException(operation + " (receiving)", (int) -received, null);
    }
    if (received > DATAGRAM_BYTES) {
      throw new NetlinkException(
          operation,
          Errno.EMSGSIZE.code(),
          null,
          "a datagram of " + received + " bytes exceeded the " + DATAGRAM_BYTES + "-byte buffer");
    }
  }

  private static String describe(List<NetlinkRequest> batch) {
    String first = batch.get(0).description();
    return batch.size() == 1 ? first : first + " (and " + (batch.size() - 1) + " more in a batch)";
  }

  private int nextSequence() {
    // 0 marks kernel notifications; skip it when the counter wraps.
    lastSequence = lastSequence == -1 ? 1 : lastSequence + 1;
    return lastSequence;
  }

  private void ensureSendCapacity(int length) {
    if (sendBuffer.capacity() < length) {
      ByteBuffer bigger = Syscalls.direct(Math.max(length, 2 * sendBuffer.capacity()));
      bigger.put(sendBuffer.flip());
      sendBuffer = bigger;
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("netlink socket (protocol " + protocol + ") is closed");
    }
  }

  /** NETLINK_ROUTE, NETLINK_GENERIC, ... as opened. */
  public int protocol() {
    return protocol;
  }

  /** Requests and dumps sent so far: what a benchmark counts as netlink requests. */
  public long requestsSent() {
    return requestsSent;
  }

  /** sendmsg calls so far; fewer than {@link #requestsSent()} when batching. */
  public long datagramsSent() {
    return datagramsSent;
  }

  /** SO_RCVBUF as the kernel set it (it doubles the request for bookkeeping). */
  public int receiveBufferBytes() {
    return receiveBufferBytes;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      Syscalls.close(fd);
    }
  }
}
