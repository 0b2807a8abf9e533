package io.kubelvs.agent.vrrp;

/**
 * One state transition of a VRRP instance, for the engine, status and notifications.
 *
 * @param instance the instance's name ({@link VrrpInstanceConfig#name()})
 * @param reason why, in an operator's words: "master down interval 3.609s elapsed", "higher
 *     priority 100 from 198.18.0.11", "link down", "shutdown"
 * @param monotonicNanos when, on the instance's {@link MonotonicClock}; a publisher that needs wall
 *     time converts it once, at the edge
 */
public record StateChange(
    String instance, VrrpRole from, VrrpRole to, String reason, long monotonicNanos) {

  /**
   * A master that stays master across a reconfiguration of its interface's runner ({@link
   * VrrpStateMachine#resumeAsMaster()}), published MASTER to MASTER: the new state machine says
   * where it is, but nothing changed on the network, so it is no transition to notify, mail, count
   * or record as an Event, as keepalived's reload notifies nothing for an instance that stays
   * master.
   */
  public boolean resumed() {
    return from == to;
  }

  @Override
  public String toString() {
    return instance + " " + from + " -> " + to + " (" + reason + ")";
  }
}
