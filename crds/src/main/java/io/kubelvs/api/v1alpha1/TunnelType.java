package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Encapsulation for TUN forwarding (keepalived {@code tun_type}). */
public enum TunnelType {
  @JsonProperty("ipip")
  IPIP,
  @JsonProperty("gue")
  GUE,
  @JsonProperty("gre")
  GRE
}
