package io.kubelvs.agent.check;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads one HTTP/1.x response the way keepalived's HTTP_GET does (keepalived/check/check_http.c
 * http_process_response, lib/html.c): the header ends at the first CRLF CRLF; the status code is
 * the token after the first space of the status line; everything after the header is the body, raw
 * (chunk framing included, as genhash hashes it), up to Content-Length if the header has one, else
 * up to the end of the connection. The body streams through an {@link Md5BodyDigest} when a digest
 * is wanted and is otherwise only counted, so memory stays at one small header buffer.
 *
 * <p>Stricter than keepalived where it costs nothing: the response must start with "HTTP/" (so a
 * wrong port speaking another protocol is named), header names are matched case-insensitively (RFC
 * 9110 §5.1), Content-Length is ignored beside Transfer-Encoding (RFC 9112 §6.3), and the header
 * and the body read are capped ({@link #MAX_HEADER_BYTES}, {@link #MAX_BODY_BYTES}).
 */
final class HttpResponseReader {
  /** Longest header accepted; a health page's header is a few hundred bytes. */
  static final int MAX_HEADER_BYTES = 8192;

  /**
   * Most body bytes read. Without a digest, reading stops there and the status decides; with one, a
   * longer body fails the check, because keepalived's digest covers the whole body.
   */
  static final long MAX_BODY_BYTES = 1 << 20;

  private static final byte[] HTTP_PREFIX = "HTTP/".getBytes(StandardCharsets.US_ASCII);
  private static final int INITIAL_HEADER_BUFFER = 512;

  /** A response that cannot be read as HTTP; the message is the reason for the operator. */
  static final class MalformedResponseException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedResponseException(String reason) {
      super(reason, null, false, false);
    }
  }

  /** What the header said: the status code and Content-Length, if any. */
  record Head(int status, OptionalLong contentLength) {}

  private final Optional<Md5BodyDigest> digest;
  private byte[] header = new byte[INITIAL_HEADER_BUFFER];
  private int headerLength;
  private Head head;
  private long bodyBytes;
  private boolean bodyComplete;

  /** A reader that hashes the body if {@code hashBody}. */
  HttpResponseReader(boolean hashBody) {
    this.digest = hashBody ? Optional.of(new Md5BodyDigest()) : Optional.empty();
  }

  /** Consumes all readable bytes of {@code in} (the buffer's reader index moves to its end). */
  void feed(ByteBuf in) throws MalformedResponseException {
    if (head == null) {
      readHeader(in);
    }
    if (head != null && in.isReadable()) {
      readBody(in);
    }
    in.skipBytes(in.readableBytes());
  }

  /** The header, once it is complete. */
  Optional<Head> head() {
    return Optional.ofNullable(head);
  }

  /** True once Content-Length bytes of body arrived, or, without a digest, the read cap. */
  boolean bodyComplete() {
    return bodyComplete;
  }

  long bodyBytes() {
    return bodyBytes;
  }

  /** The body's MD5 in lower-case hex; only for a reader made with hashBody. */
  String bodyDigestHex() {
    return digest.orElseThrow(() -> new IllegalStateException("body was not hashed")).finishHex();
  }

  private void readHeader(ByteBuf in) throws MalformedResponseException {
    while (in.isReadable()) {
      if (headerLength == MAX_HEADER_BYTES) {
        throw new MalformedResponseException(
            "HTTP header longer than " + MAX_HEADER_BYTES + " bytes");
      }
      if (headerLength == header.length) {
        header = Arrays.copyOf(header, Math.min(header.length * 2, MAX_HEADER_BYTES));
      }
      header[headerLength++] = in.readByte();
      if (headerLength <= HTTP_PREFIX.length
          && header[headerLength - 1] != HTTP_PREFIX[headerLength - 1]) {
        throw new MalformedResponseException(
            "not an HTTP response: starts with \"" + printableStart(in) + "\"");
      }
      if (endsWithBlankLine()) {
        head = parseHead();
        header = null;
        bodyComplete = head.contentLength().orElse(-1) == 0;
        return;
      }
    }
  }

  private boolean endsWithBlankLine() {
    int n = headerLength;
    return n >= 4
        && header[n - 4] == '\r'
        && header[n - 3] == '\n'
        && header[n - 2] == '\r'
        && header[n - 1] == '\n';
  }

  private Head parseHead() throws MalformedResponseException {
    String text = new String(header, 0, headerLength - 4, StandardCharsets.ISO_8859_1);
    // Line by line with indexOf: String.split("\r\n") compiles a regex on every response.
    int end = lineEnd(text, 0);
    int status = parseStatus(text.substring(0, end));
    OptionalLong contentLength = OptionalLong.empty();
    boolean transferEncoding = false;
    for (int start = end + 2; start <= text.length(); start = end + 2) {
      end = lineEnd(text, start);
      String line = text.substring(start, end);
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).strip();
      if (name.equals("transfer-encoding")) {
        transferEncoding = true;
      } else if (name.equals("content-length")) {
        contentLength = parseContentLength(value);
      }
    }
    return new Head(status, transferEncoding ? OptionalLong.empty() : contentLength);
  }

  private static int lineEnd(String text, int start) {
    int end = text.indexOf("\r\n", start);
    return end < 0 ? text.length() : end;
  }

  /** keepalived's extract_status_code: the token between the first and the second space. */
  private static int parseStatus(String statusLine) throws MalformedResponseException {
    int first = statusLine.indexOf(' ');
    int end = first < 0 ? -1 : statusLine.indexOf(' ', first + 1);
    String code =
        first < 0 ? "" : statusLine.substring(first + 1, end < 0 ? statusLine.length() : end);
    if (code.length() == 3 && code.chars().allMatch(Character::isDigit)) {
      int status = Integer.parseInt(code);
      if (status >= 100 && status <= 599) {
        return status;
      }
    }
    String shown = statusLine.length() > 60 ? statusLine.substring(0, 60) + "..." : statusLine;
    throw new MalformedResponseException("malformed HTTP status line \"" + shown + "\"");
  }

  private static OptionalLong parseContentLength(String value) {
    try {
      long length = Long.parseLong(value);
      return length >= 0 ? OptionalLong.of(length) : OptionalLong.empty();
    } catch (NumberFormatException e) {
      // Unreadable: read to the end of the connection, as if there were none.
      return OptionalLong.empty();
    }
  }

  private void readBody(ByteBuf in) throws MalformedResponseException {
    long wanted = head.contentLength().orElse(Long.MAX_VALUE) - bodyBytes;
    int take = (int) Math.min(in.readableBytes(), Math.min(wanted, MAX_BODY_BYTES - bodyBytes));
    if (take > 0) {
      digest.ifPresent(d -> d.update(in, take));
      bodyBytes += take;
    }
    if (bodyBytes == head.contentLength().orElse(-1)) {
      bodyComplete = true;
    } else if (bodyBytes == MAX_BODY_BYTES && in.readableBytes() > take) {
      if (digest.isPresent()) {
        throw new MalformedResponseException(
            "response body longer than "
                + (MAX_BODY_BYTES >> 20)
                + " MiB, too long to check its digest");
      }
      bodyComplete = true;
    }
  }

  /** The first bytes of the response (header so far, then what else arrived), printable. */
  private String printableStart(ByteBuf in) {
    int more = Math.min(in.readableBytes(), 16);
    StringBuilder text = new StringBuilder(headerLength + more);
    for (int i = 0; i < headerLength + more; i++) {
      int b = i < headerLength ? header[i] : in.getByte(in.readerIndex() + i - headerLength);
      char c = (char) (b & 0xff);
      text.append(c >= ' ' && c < 0x7f ? c : '.');
    }
    return text.toString();
  }
}
