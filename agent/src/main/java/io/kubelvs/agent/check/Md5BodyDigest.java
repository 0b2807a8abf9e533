package io.kubelvs.agent.check;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The MD5 of an HTTP response body as keepalived's HTTP_GET digest and genhash compute it: over the
 * raw bytes after the header's blank line, as they come off the connection (a chunked body is
 * hashed with its chunk framing, nothing is decoded), and no further than Content-Length when the
 * header has one (keepalived/check/check_http.c http_process_response). Fed piece by piece as bytes
 * arrive, so a body is never held in memory; printed as genhash prints it, lower-case hex.
 */
final class Md5BodyDigest {
  private static final HexFormat HEX = HexFormat.of();

  private final MessageDigest md5;

  Md5BodyDigest() {
    try {
      this.md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no MD5, which every Java SE must have", e);
    }
  }

  /** Adds {@code length} readable bytes of {@code buf} from its reader index; does not move it. */
  void update(ByteBuf buf, int length) {
    int index = buf.readerIndex();
    if (buf.hasArray()) {
      md5.update(buf.array(), buf.arrayOffset() + index, length);
      return;
    }
    for (ByteBuffer piece : buf.nioBuffers(index, length)) {
      md5.update(piece);
    }
  }

  void update(byte[] bytes) {
    md5.update(bytes);
  }

  /** The digest as lower-case hex; the digest cannot be fed after this. */
  String finishHex() {
    return HEX.formatHex(md5.digest());
  }

  /** True if {@code text} is an MD5 in hex as keepalived's "digest" keyword takes it. */
  static boolean isHexDigest(String text) {
    if (text.length() != 32) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.digit(text.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
