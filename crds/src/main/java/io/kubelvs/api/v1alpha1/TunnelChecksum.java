package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Checksum mode of GUE/GRE tunnels (keepalived {@code tun_flags}). */
public enum TunnelChecksum {
  @JsonProperty("nocsum")
  NONE,
  @JsonProperty("csum")
  CHECKSUM,
  @JsonProperty("remcsum")
  REMOTE_CHECKSUM
}
