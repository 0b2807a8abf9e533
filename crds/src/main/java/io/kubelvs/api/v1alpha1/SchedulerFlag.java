package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Scheduler flags (keepalived {@code lb_algo} flags, ipvsadm {@code -b}). */
public enum SchedulerFlag {
  /** IP_VS_SVC_F_SCHED1: {@code sh-fallback} or {@code mh-fallback} for sh and mh. */
  @JsonProperty("flag-1")
  FLAG_1,
  /** IP_VS_SVC_F_SCHED2: {@code sh-port} or {@code mh-port} for sh and mh. */
  @JsonProperty("flag-2")
  FLAG_2,
  @JsonProperty("flag-3")
  FLAG_3,
  @JsonProperty("sh-fallback")
  SH_FALLBACK,
  @JsonProperty("sh-port")
  SH_PORT,
  @JsonProperty("mh-fallback")
  MH_FALLBACK,
  @JsonProperty("mh-port")
  MH_PORT
}
