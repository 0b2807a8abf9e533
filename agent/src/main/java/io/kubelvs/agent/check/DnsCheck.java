package io.kubelvs.agent.check;

/**
 * keepalived's DNS_CHECK: one query for {@code name} of {@code type} over UDP; healthy when an
 * answer with the query's id comes back with RCODE NOERROR (keepalived also needs at least one
 * answer record of the asked type unless the type is SOA... see the prober for the exact rule).
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
