package io.kubelvs.agent.netlink;

import java.time.Duration;

/**
 * How a {@link NetlinkSocket} is set up and how far it batches.
 *
 * @param receiveBufferBytes SO_RCVBUF to ask for (forced past net.core.rmem_max with
 *     CAP_NET_ADMIN). Every answer to a batch is queued before we read any, so this bounds how many
 *     requests one datagram may carry
 * @param timeout how long to wait for the kernel's next datagram before giving up
 * @param maxBatchMessages requests per datagram, or {@link #AUTO_BATCH} to fit the receive buffer
 */
public record NetlinkSocketOptions(int receiveBufferBytes, Duration timeout, int maxBatchMessages) {
  /** Batch as many requests as the receive buffer has room for answers, up to 1024. */
  public static final int AUTO_BATCH = 0;

  /**
   * Receive-buffer bytes one answer is assumed to take: an ACK takes ~1 KiB of buffer accounting, a
   * link ~3 KiB (measured here: 100 RTM_GETLINK answers fit in 416 KiB, 150 did not).
   */
  static final int ANSWER_BYTES = 4096;

  static final int AUTO_BATCH_CAP = 1024;

  public NetlinkSocketOptions {
    if (receiveBufferBytes <= 0 || maxBatchMessages < 0 || timeout.isNegative()) {
      throw new IllegalArgumentException(
          "invalid netlink socket options: receiveBufferBytes=%d timeout=%s maxBatchMessages=%d"
              .formatted(receiveBufferBytes, timeout, maxBatchMessages));
    }
  }

  public static NetlinkSocketOptions defaults() {
    return new NetlinkSocketOptions(4 * 1024 * 1024, Duration.ofSeconds(5), AUTO_BATCH);
  }

  public NetlinkSocketOptions withReceiveBufferBytes(int bytes) {
    return new NetlinkSocketOptions(bytes, timeout, maxBatchMessages);
  }

  public NetlinkSocketOptions withTimeout(Duration newTimeout) {
    return new NetlinkSocketOptions(receiveBufferBytes, newTimeout, maxBatchMessages);
  }

  public NetlinkSocketOptions withMaxBatchMessages(int messages) {
    return new NetlinkSocketOptions(receiveBufferBytes, timeout, messages);
  }

  /** Requests per datagram, given the receive buffer the kernel actually granted. */
  int batchLimit(int grantedReceiveBufferBytes) {
    if (maxBatchMessages != AUTO_BATCH) {
      return maxBatchMessages;
    }
    return Math.max(1, Math.min(AUTO_BATCH_CAP, grantedReceiveBufferBytes / ANSWER_BYTES));
  }
}
