package io.kubelvs.api.v1alpha1;

/** Record type a DNS check asks for (keepalived DNS_CHECK {@code type}). */
public enum DnsQueryType {
  A,
  NS,
  CNAME,
  SOA,
  MX,
  TXT,
  AAAA
}
