package io.kubelvs.agent.check;

import io.kubelvs.agent.check.HttpResponseReader.Head;
import io.kubelvs.agent.check.HttpResponseReader.MalformedResponseException;
import io.netty.buffer.ByteBuf;
import java.util.Locale;

/**
 * The judgement of one HTTP_GET/SSL_GET attempt from what its connection delivers, whatever carries
 * the bytes: the Netty pipeline of {@link HttpGetExchange} (SSL_GET) or the bare socket of {@link
 * EpollHttpGetAttempt} (HTTP_GET). Each method returns the outcome once it is known, else null.
 *
 * <p>Time, as in keepalived/check/check_http.c: after the request, every wait for more of the
 * response is bounded by connect_timeout. keepalived has no bound on the response as a whole, so a
 * server trickling a byte just under the timeout would hold it forever; here the whole response
 * must also arrive within {@link #RESPONSE_TIMEOUTS} connect_timeouts of the request.
 */
final class HttpGetJudge {
  /** The whole response must arrive within this many connect_timeouts after the request. */
  static final int RESPONSE_TIMEOUTS = 3;

  private final HttpGetCheck check;
  private final ProbeTarget target;
  private final long timeoutNanos;
  private final HttpResponseReader reader;
  private long requestSentNanos;
  private long lastReadNanos;
  private long bytesReceived;

  HttpGetJudge(HttpGetCheck check, ProbeTarget target) {
    this.check = check;
    this.target = target;
    this.timeoutNanos = Math.max(1, target.connectTimeout().toNanos());
    this.reader = new HttpResponseReader(check.digest().isPresent());
  }

  /** keepalived's request for this check and target, to send once the connection is up. */
  byte[] request() {
    return HttpGetRequest.encode(check, target.address());
  }

  void requestSent(long nowNanos) {
    requestSentNanos = nowNanos;
    lastReadNanos = nowNanos;
  }

  long bytesReceived() {
    return bytesReceived;
  }

  /** Consumes the readable bytes of {@code in}: the outcome if they decide it. */
  ProbeResult received(ByteBuf in, long nowNanos) {
    lastReadNanos = nowNanos;
    bytesReceived += in.readableBytes();
    boolean hadHead = reader.head().isPresent();
    try {
      reader.feed(in);
    } catch (MalformedResponseException e) {
      return ProbeResult.down(e.getMessage());
    }
    if (!hadHead
        && reader.head().isPresent()
        && !check.acceptsStatus(reader.head().get().status())) {
      // keepalived checks the status before the digest; a refused status needs no body.
      return ProbeResult.down("HTTP " + reader.head().get().status());
    }
    return reader.bodyComplete() ? verdict() : null;
  }

  /** The server closed the connection (its FIN): an HTTP/1.0 body ends here. */
  ProbeResult peerClosed() {
    if (reader.head().isPresent()) {
      return verdict();
    }
    if (bytesReceived == 0) {
      return ProbeResult.down("connection closed without a response");
    }
    return ProbeResult.down(
        "connection closed after " + bytesReceived + " bytes, within the HTTP header");
  }

  /** When the response times out if nothing more arrives: the earlier of its two bounds. */
  long deadlineNanos() {
    return Math.min(
        lastReadNanos + timeoutNanos, requestSentNanos + RESPONSE_TIMEOUTS * timeoutNanos);
  }

  /** The outcome at {@code nowNanos} if a bound has passed, else null. */
  ProbeResult timedOut(long nowNanos) {
    String timeout = DurationText.of(target.connectTimeout());
    if (nowNanos - (lastReadNanos + timeoutNanos) >= 0) {
      return ProbeResult.down(
          bytesReceived == 0
              ? "no response within " + timeout
              : "response stalled for " + timeout + " after " + bytesReceived + " bytes");
    }
    if (nowNanos - (requestSentNanos + RESPONSE_TIMEOUTS * timeoutNanos) >= 0) {
      return ProbeResult.down(
          "response not complete within "
              + DurationText.of(target.connectTimeout().multipliedBy(RESPONSE_TIMEOUTS))
              + " ("
              + bytesReceived
              + " bytes)");
    }
    return null;
  }

  /** The status was accepted; the body, if a digest is configured, decides. */
  private ProbeResult verdict() {
    Head head = reader.head().orElseThrow();
    if (check.digest().isPresent()) {
      String expected = check.digest().get().toLowerCase(Locale.ROOT);
      String got = reader.bodyDigestHex();
      if (!got.equals(expected)) {
        return ProbeResult.down("digest mismatch: expected " + expected + ", got " + got);
      }
    }
    long length = head.contentLength().orElse(-1);
    if (length >= 0 && reader.bodyBytes() < length) {
      // keepalived logs a short body and goes on to judge what it got; so does this.
      return ProbeResult.up(
          "HTTP " + head.status() + " (body " + reader.bodyBytes() + " of " + length + " bytes)");
    }
    return ProbeResult.up("HTTP " + head.status());
  }
}
