package io.kubelvs.agent.check;

import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.unix.Errors;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;

/**
 * Words for an operator on why a TCP connection to a real server failed, shared by TCP_CHECK and
 * HTTP_GET/SSL_GET: "connection refused", "connect timeout 1s", "no route to host", "cannot bind to
 * 127.0.0.2:5000: Address already in use". The JDK and Netty report these as exceptions whose
 * message is the kernel's strerror(), sometimes with Netty's ": /address:port" appended.
 */
final class TcpFailureReasons {
  static final String LOOPS_CLOSED = "check event loops are shut down";

  /** errno values of asm-generic/errno.h that name a bind problem. */
  private static final int EADDRINUSE = 98;

  private static final int EADDRNOTAVAIL = 99;

  private static final Pattern NATIVE_CALL_PREFIX =
      Pattern.compile("^\\w+\\(\\.\\.\\) failed with error\\(-?\\d+\\): ");

  private TcpFailureReasons() {}

  /** Why connecting to {@code target} failed. */
  static String connectFailure(Throwable cause, ProbeTarget target) {
    if (cause instanceof ConnectTimeoutException) {
      return "connect timeout " + DurationText.of(target.connectTimeout());
    }
    if (cause instanceof Errors.NativeIoException nativeError) {
      return nativeConnectFailure(nativeError, target);
    }
    // Netty reports a failed bind() as a SocketException whose cause is the BindException.
    if (cause instanceof BindException || cause.getCause() instanceof BindException) {
      return "cannot bind to " + bindText(target.bind()) + ": " + kernelMessage(cause);
    }
    if (cause instanceof NoRouteToHostException) {
      return "no route to host";
    }
    if (cause instanceof ConnectException || cause instanceof SocketException) {
      // "Connection refused", "Network is unreachable", "Connection timed out", ...
      return kernelMessage(cause).toLowerCase(Locale.ROOT);
    }
    if (cause instanceof RejectedExecutionException || cause instanceof ClosedChannelException) {
      return LOOPS_CLOSED;
    }
    return "connect failed: " + kernelMessage(cause);
  }

  /**
   * The epoll transport's errors: "finishconnect(..) failed with error(-111): Connection refused"
   * becomes "connection refused", as the JDK's exceptions read with NIO.
   */
  private static String nativeConnectFailure(Errors.NativeIoException error, ProbeTarget target) {
    String message = error.getMessage() == null ? "" : error.getMessage();
    int colon = message.indexOf("): ");
    String text = colon < 0 ? message : message.substring(colon + 3);
    int errno = -error.expectedErr();
    if (errno == EADDRNOTAVAIL || errno == EADDRINUSE || message.startsWith("bind(")) {
      return "cannot bind to " + bindText(target.bind()) + ": " + text;
    }
    return text.toLowerCase(Locale.ROOT);
  }

  /**
   * The exception's message without the ": localhost/127.0.0.1:8080" Netty appends to connect
   * errors (its annotated exceptions carry the JDK's original as their cause).
   */
  static String kernelMessage(Throwable cause) {
    String message = cause.getMessage();
    if (message != null) {
      // The epoll transport names the call first: "finishconnect(..) failed with error(-111): ".
      message = NATIVE_CALL_PREFIX.matcher(message).replaceFirst("");
    }
    if (message == null || message.isBlank()) {
      return cause.getClass().getSimpleName();
    }
    Throwable original = cause.getCause();
    if (original != null
        && original.getMessage() != null
        && message.startsWith(kernelMessage(original) + ": ")) {
      return kernelMessage(original);
    }
    return message;
  }

  private static String bindText(Optional<InetSocketAddress> bind) {
    return bind.map(b -> b.getAddress().getHostAddress() + ":" + b.getPort()).orElse("any");
  }
}
