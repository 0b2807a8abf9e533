package io.kubelvs.agent.check;

/**
 * What one attempt of a health check does against a real server: keepalived's checker blocks
 * (HTTP_GET and SSL_GET, TCP_CHECK, MISC_CHECK, DNS_CHECK, UDP_CHECK, PING_CHECK). Timing
 * (delay_loop, retry, ...) is not part of the method; it lives in {@link CheckTiming}.
 */
public sealed interface CheckMethod
    permits HttpGetCheck, TcpCheck, MiscCheck, DnsCheck, UdpCheck, PingCheck {

  /** keepalived's name of the checker, for messages and logs ({@code HTTP_GET}, ...). */
  String keepalivedName();
}
