package io.kubelvs.agent.check;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * keepalived's UDP_CHECK: send {@code payload} in one datagram. Without {@code requireReply} the
 * server is down only if an ICMP port unreachable comes back; with it, a reply whose length lies in
 * [{@code minReplyLength}, {@code maxReplyLength}] must arrive within the timeout.
 */
public record UdpCheck(byte[] payload, boolean requireReply, int minReplyLength, int maxReplyLength)
    implements CheckMethod {

  public UdpCheck {
    payload = payload.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof UdpCheck that
        && Arrays.equals(payload, that.payload)
        && requireReply == that.requireReply
        && minReplyLength == that.minReplyLength
        && maxReplyLength == that.maxReplyLength;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(payload)
        + Boolean.hashCode(requireReply)
        + 7 * minReplyLength
        + 13 * maxReplyLength;
  }

  @Override
  public String toString() {
    return "UdpCheck[payload="
        + HexFormat.of().formatHex(payload)
        + ", requireReply="
        + requireReply
        + ", minReplyLength="
        + minReplyLength
        + ", maxReplyLength="
        + maxReplyLength
        + "]";
  }

  @Override
  public String keepalivedName() {
    return "UDP_CHECK";
  }
}
