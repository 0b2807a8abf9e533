package io.kubelvs.agent.check;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Words for an operator on why an HTTP_GET or SSL_GET attempt failed after the TCP connection was
 * up: "connection reset after 57 bytes", "TLS handshake timeout 1s", "TLS handshake failed: unable
 * to find valid certification path to requested target". The JDK's TLS exceptions nest the useful
 * sentence in their innermost cause, which is what is shown, cut to a readable length.
 */
final class HttpFailureReasons {
  private static final int MAX_MESSAGE = 160;

  private HttpFailureReasons() {}

  static String tlsHandshake(Throwable cause, ProbeTarget target) {
    if (cause instanceof SslHandshakeTimeoutException) {
      return "TLS handshake timeout " + DurationText.of(target.connectTimeout());
    }
    Throwable root = rootCause(cause);
    if (root instanceof NotSslRecordException) {
      // Netty's message is a hex dump of what came instead.
      return "TLS handshake failed: the server did not answer with TLS";
    }
    if (root instanceof ClosedChannelException) {
      return "TLS handshake failed: connection closed by the server";
    }
    if (root instanceof IOException && !(root instanceof SSLException) && isReset(root)) {
      return "TLS handshake failed: connection reset";
    }
    return "TLS handshake failed: " + message(root);
  }

  /** A read failed after {@code bytesReceived} bytes of response (decrypted bytes for TLS). */
  static String readFailure(Throwable cause, long bytesReceived) {
    Throwable root = rootCause(cause);
    if (root instanceof SSLException) {
      return "TLS error after " + bytesReceived + " bytes: " + message(root);
    }
    if (isReset(root)) {
      return bytesReceived == 0
          ? "connection reset before any response"
          : "connection reset after " + bytesReceived + " bytes";
    }
    return "read failed after " + bytesReceived + " bytes: " + message(root);
  }

  private static boolean isReset(Throwable cause) {
    String message = cause.getMessage();
    return message != null && message.toLowerCase(Locale.ROOT).contains("connection reset");
  }

  private static Throwable rootCause(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  private static String message(Throwable cause) {
    String text = TcpFailureReasons.kernelMessage(cause);
    return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "..." : text;
  }
}
