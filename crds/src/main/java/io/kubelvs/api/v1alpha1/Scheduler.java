package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * IPVS scheduling algorithm (keepalived {@code lb_algo}, ipvsadm {@code -s}). The value is the
 * kernel module's suffix: {@code rr} is {@code ip_vs_rr}.
 */
public enum Scheduler {
  @JsonProperty("rr")
  ROUND_ROBIN,
  @JsonProperty("wrr")
  WEIGHTED_ROUND_ROBIN,
  @JsonProperty("lc")
  LEAST_CONNECTION,
  @JsonProperty("wlc")
  WEIGHTED_LEAST_CONNECTION,
  @JsonProperty("lblc")
  LOCALITY_BASED_LEAST_CONNECTION,
  @JsonProperty("lblcr")
  LOCALITY_BASED_LEAST_CONNECTION_WITH_REPLICATION,
  @JsonProperty("dh")
  DESTINATION_HASHING,
  @JsonProperty("sh")
  SOURCE_HASHING,
  @JsonProperty("sed")
  SHORTEST_EXPECTED_DELAY,
  @JsonProperty("nq")
  NEVER_QUEUE,
  @JsonProperty("mh")
  MAGLEV_HASHING,
  @JsonProperty("fo")
  WEIGHTED_FAILOVER,
  @JsonProperty("ovf")
  WEIGHTED_OVERFLOW,
  @JsonProperty("twos")
  WEIGHTED_RANDOM_TWOS_CHOICE
}
