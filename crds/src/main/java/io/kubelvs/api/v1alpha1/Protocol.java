package io.kubelvs.api.v1alpha1;

/** Transport protocol of a virtual service (keepalived {@code protocol}). */
public enum Protocol {
  TCP,
  UDP,
  SCTP
}
