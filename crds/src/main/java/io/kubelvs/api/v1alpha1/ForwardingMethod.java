package io.kubelvs.api.v1alpha1;

/**
 * How IPVS forwards packets to a real server (keepalived {@code lb_kind}, ipvsadm {@code -m -g
 * -i}).
 */
public enum ForwardingMethod {
  /** Masquerading: the director rewrites the destination; replies must pass back through it. */
  NAT,
  /** Direct routing ("gatewaying"): frames go to the real server's MAC; it answers the client. */
  DR,
  /** IP-in-IP (or GUE/GRE) tunnelling to the real server, which answers the client. */
  TUN
}
