package io.kubelvs.api.v1alpha1;

/** State of a VRRP instance on one node (RFC 5798 §6.4, plus keepalived's FAULT). */
public enum VrrpState {
  INIT,
  BACKUP,
  MASTER,
  /** The interface is down or a tracked condition failed: the node holds no VIP. */
  FAULT,
  /** The agent stopped the instance (shutdown or removal). */
  STOPPED
}
