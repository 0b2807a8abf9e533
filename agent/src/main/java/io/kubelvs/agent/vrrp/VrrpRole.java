package io.kubelvs.agent.vrrp;

/**
 * The states of one VRRP instance: RFC 5798 §6.4's Initialize, Backup and Master, plus keepalived's
 * Fault (the interface or a tracked condition is down) and a final Stopped after shutdown or
 * handover.
 */
public enum VrrpRole {
  /** Created, not started yet: sends nothing, owns no address. */
  INIT,
  /** Listens for the master's adverts and takes over when they stop. */
  BACKUP,
  /** Owns the virtual addresses and advertises them. */
  MASTER,
  /** Cannot serve (link down or a tracked condition down): silent, owns no address. */
  FAULT,
  /** Shut down or handed over: final, ignores every further event. */
  STOPPED
}
