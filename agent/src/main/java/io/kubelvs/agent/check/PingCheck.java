package io.kubelvs.agent.check;

/** keepalived's PING_CHECK: healthy when the real server answers an ICMP (or ICMPv6) echo. */
public record PingCheck() implements CheckMethod {
  @Override
  public String keepalivedName() {
    return "PING_CHECK";
  }
}
