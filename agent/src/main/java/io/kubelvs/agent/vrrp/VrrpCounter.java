package io.kubelvs.agent.vrrp;

/**
 * What an instance counts, after keepalived's per-instance statistics (its names in brackets), for
 * metrics and for telling an operator why adverts were not acted upon.
 */
public enum VrrpCounter {
  /**
   * Adverts the state machine sent, priority 0 included [advert_sent]; one whose send then failed
   * is counted too, and puts the instance in FAULT.
   */
  ADVERTS_SENT,
  /** Adverts that passed the state machine's checks [advert_rcvd]. */
  ADVERTS_RECEIVED,
  /** Transitions to master [become_master]. */
  BECAME_MASTER,
  /** Transitions out of master [release_master]. */
  RELEASED_MASTER,
  /** Adverts with priority 0 received [pri_zero_rcvd]. */
  PRIORITY_ZERO_RECEIVED,
  /** Adverts with priority 0 sent [pri_zero_sent]. */
  PRIORITY_ZERO_SENT,
  /**
   * Adverts whose address list differs from ours: counted and logged, still used [addr_list_err].
   */
  ADDRESS_LIST_MISMATCH,
  /** v2 adverts whose interval differs from ours: dropped (RFC 3768 §7.1) [advert_interval_err]. */
  DROPPED_ADVERT_INTERVAL_MISMATCH,
  /** Unicast mode: adverts from an address that is not a configured peer, dropped. */
  DROPPED_NOT_A_PEER,
  /** Adverts of another VRRP version or VRID, dropped. */
  DROPPED_WRONG_VERSION_OR_VRID,
  /** Our own adverts looped back, dropped (answering them would be a storm). */
  DROPPED_OWN_ADVERT
}
