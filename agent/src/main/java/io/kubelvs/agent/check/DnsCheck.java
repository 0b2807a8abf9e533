package io.kubelvs.agent.check;

/**
 * keepalived's DNS_CHECK: one query for {@code name} of {@code type} (class IN, recursion desired,
 * random ID) over UDP. Healthy when the first reply that carries the query's ID and the QR bit has
 * RCODE NOERROR, whatever its answer count, record types or TC bit; any other RCODE is down.
 * Datagrams shorter than a DNS header, with another ID or without QR are skipped (check_dns.c,
 * dns_recv_thread); no deciding reply within connect_timeout, or an ICMP port unreachable, is down.
 */
public record DnsCheck(DnsQueryType type, String name) implements CheckMethod {

  /** The record types keepalived's DNS_CHECK accepts. */
  public enum DnsQueryType {
    A,
    NS,
    CNAME,
    SOA,
    MX,
    TXT,
    AAAA
  }

  @Override
  public String keepalivedName() {
    return "DNS_CHECK";
  }
}
