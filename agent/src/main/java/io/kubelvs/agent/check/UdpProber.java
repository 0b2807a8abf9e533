package io.kubelvs.agent.check;

import io.kubelvs.agent.sys.SyscallException;
import io.kubelvs.agent.sys.UdpIcmpError;
import io.kubelvs.agent.sys.UdpProbeSocket;
import io.netty.channel.EventLoopGroup;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's UDP_CHECK (check_udp.c, layer4.c): one datagram with the payload to the real server,
 * then wait up to connect_timeout.
 *
 * <ul>
 *   <li>An ICMP or ICMPv6 destination unreachable about the datagram, of any code (port, host,
 *       prohibited, ...), is down: keepalived sets IP_RECVERR and fails on every such error.
 *   <li>A reply is up, unless require_reply is set and its length lies outside [min_reply_length,
 *       max_reply_length]. (keepalived compares lengths only when require_reply also gives reply
 *       data, which {@link UdpCheck} does not carry; we follow UdpCheck's rule.)
 *   <li>Silence until the timeout is up without require_reply, down with it.
 * </ul>
 *
 * ICMP errors of other types (time exceeded, ...) are ignored and the wait goes on. The socket is
 * native ({@link UdpProbeSocket}) because a host unreachable is a "soft" error that only reaches a
 * socket with IP_RECVERR, which Java and Netty cannot set; it is watched by the shared {@link
 * UdpIcmpLoop}, and the timeout runs on the Netty event loop.
 */
public final class UdpProber implements Prober {
  private static final Logger LOG = LoggerFactory.getLogger(UdpProber.class);

  /**
   * keepalived's payload when none is configured: 32 bytes of "keepalived check - " repeated
   * (layer4.c: UDP_BUFSIZE, set_buf). keepalived refuses an empty payload in the configuration, so
   * an empty {@link UdpCheck#payload()} means "none configured".
   */
  static final byte[] DEFAULT_PAYLOAD = repeat("keepalived check - ", 32);

  private final UdpCheck check;
  private final byte[] payload;
  private final UdpIcmpLoop loop;
  private final EventLoopGroup timers;

  public UdpProber(UdpCheck check, UdpIcmpLoop loop, EventLoopGroup timers) {
    this.check = Objects.requireNonNull(check, "check");
    this.loop = Objects.requireNonNull(loop, "loop");
    this.timers = Objects.requireNonNull(timers, "timers");
    byte[] configured = check.payload();
    this.payload = configured.length == 0 ? DEFAULT_PAYLOAD.clone() : configured;
  }

  static byte[] repeat(String text, int length) {
    byte[] pattern = text.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = pattern[i % pattern.length];
    }
    return out;
  }

  @Override
  public CompletableFuture<ProbeResult> probe(ProbeTarget target) {
    Attempt attempt = new Attempt(target);
    loop.execute(attempt::start);
    return attempt.result;
  }

  /** One attempt; every method but the constructor runs on the loop's thread. */
  private final class Attempt {
    private final ProbeTarget target;
    private final CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    private UdpProbeSocket socket;
    private Future<?> timeout;

    Attempt(ProbeTarget target) {
      this.target = target;
    }

    void start() {
      try {
        socket = UdpProbeSocket.open(target.address(), target.bind());
        loop.watch(socket, this::onReady);
        timeout =
            timers
                .next()
                .schedule(
                    () -> loop.execute(this::onTimeout),
                    target.connectTimeout().toNanos(),
                    TimeUnit.NANOSECONDS);
        socket.send(payload);
      } catch (SyscallException | IllegalArgumentException e) {
        finish(ProbeResult.down("cannot send the UDP datagram: " + e.getMessage()));
      } catch (RejectedExecutionException e) {
        finish(ProbeResult.down("UDP_CHECK is shutting down: its timer refused the attempt"));
      }
    }

    void onReady() {
      if (socket == null) {
        return;
      }
      try {
        Optional<UdpIcmpError> error;
        while ((error = socket.receiveError()).isPresent()) {
          if (error.get().isDestinationUnreachable()) {
            finish(
                ProbeResult.down(
                    IcmpUnreachable.describe(error.get(), target.address().getAddress())));
            return;
          }
          LOG.debug("UDP_CHECK ignores an ICMP error target={} error={}", target.address(), error);
        }
        OptionalInt reply = socket.receiveReply();
        if (reply.isPresent()) {
          finish(judge(reply.getAsInt()));
        }
      } catch (SyscallException e) {
        finish(ProbeResult.down("UDP receive failed: " + e.getMessage()));
      }
    }

    void onTimeout() {
      String within = " within " + DurationText.of(target.connectTimeout());
      finish(
          check.requireReply()
              ? ProbeResult.down("no UDP reply" + within)
              : ProbeResult.up("no ICMP error" + within));
    }

    private ProbeResult judge(int length) {
      String reply = "reply of " + length + (length == 1 ? " byte" : " bytes");
      if (check.requireReply() && length < check.minReplyLength()) {
        return ProbeResult.down(reply + ", below min_reply_length " + check.minReplyLength());
      }
      if (check.requireReply() && length > check.maxReplyLength()) {
        return ProbeResult.down(reply + ", above max_reply_length " + check.maxReplyLength());
      }
      return ProbeResult.up(reply);
    }

    private void finish(ProbeResult outcome) {
      if (timeout != null) {
        timeout.cancel(false);
      }
      if (socket != null) {
        loop.unwatch(socket);
        try {
          socket.close();
        } catch (SyscallException e) {
          LOG.warn("UDP_CHECK socket close failed target={}", target.address(), e);
        }
        socket = null;
      }
      result.complete(outcome);
    }
  }
}
