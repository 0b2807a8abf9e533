package io.kubelvs.agent.check;

/** keepalived's TCP_CHECK: healthy when a TCP connection is established within the timeout. */
public record TcpCheck() implements CheckMethod {
  @Override
  public String keepalivedName() {
    return "TCP_CHECK";
  }
}
