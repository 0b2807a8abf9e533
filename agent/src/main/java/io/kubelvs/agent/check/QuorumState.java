package io.kubelvs.agent.check;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether a virtual server has quorum, and whether its sorry server is in, as keepalived's
 * ipwrapper.c update_quorum_state decides from the sum of the weights of its live real servers:
 *
 * <ul>
 *   <li>quorum is gained when the sum reaches {@code quorum + hysteresis};
 *   <li>it is lost when the sum falls below {@code quorum - hysteresis}, or to 0 whatever the
 *       hysteresis ({@code !weight_sum || weight_sum < threshold});
 *   <li>while it is lost a configured sorry server replaces the real servers, and leaves when it is
 *       gained again;
 *   <li>a virtual server starts without quorum and is evaluated at once; starting below quorum with
 *       a sorry server puts the sorry server in ("Starting with quorum down").
 * </ul>
 *
 * <p>Owned by one thread; the caller keeps the weight sum up to date and passes it in.
 */
final class QuorumState {

  /** What an update changed. */
  enum Transition {
    NONE,
    GAINED,
    LOST
  }

  private int quorum = VirtualServerChecks.DEFAULT_QUORUM;
  private int hysteresis = VirtualServerChecks.DEFAULT_HYSTERESIS;
  private Optional<SorryServer> sorryServer = Optional.empty();
  private boolean up;
  private boolean sorryActive;

  /**
   * Takes the virtual server's (new) settings. keepalived's check_data.c lowers a quorum above the
   * total configured weight to that total ("otherwise we will never be able to come up"), then a
   * hysteresis at or above the quorum to {@code quorum - 1}; the same is done here, except that the
   * quorum stays at least 1 (keepalived would let it reach 0 for a pool of weight 0, and then its
   * unsigned {@code quorum - 1} wraps around).
   */
  void configure(
      int configuredQuorum,
      int configuredHysteresis,
      long totalWeight,
      Optional<SorryServer> sorry) {
    quorum = (int) Math.max(1, Math.min(configuredQuorum, totalWeight));
    hysteresis = Math.min(configuredHysteresis, quorum - 1);
    if (!Objects.equals(sorryServer, sorry)) {
      // keepalived clear_diff_s_srv: a removed or replaced sorry server leaves the table; a new
      // one is brought in by start() while quorum is lost, with a quorum-down notification
      // ("Starting with quorum down") even if quorum was lost before.
      sorryActive = false;
    }
    sorryServer = sorry;
  }

  /**
   * Evaluates a virtual server that was just (re)configured: keepalived's init_service_vs calls
   * update_quorum_state with init set, which may also bring in the sorry server of a virtual server
   * that starts below quorum.
   */
  Transition start(long healthyWeight) {
    Transition transition = update(healthyWeight);
    if (transition == Transition.NONE && !up && sorryServer.isPresent() && !sorryActive) {
      sorryActive = true;
      return Transition.LOST;
    }
    return transition;
  }

  /** Evaluates a new healthy weight sum. */
  Transition update(long healthyWeight) {
    if (!up && healthyWeight >= (long) quorum + hysteresis) {
      up = true;
      sorryActive = false;
      return Transition.GAINED;
    }
    if (up && (healthyWeight == 0 || healthyWeight < (long) quorum - hysteresis)) {
      up = false;
      sorryActive = sorryServer.isPresent();
      return Transition.LOST;
    }
    return Transition.NONE;
  }

  boolean up() {
    return up;
  }

  /** The sorry server while it takes the traffic. */
  Optional<SorryServer> activeSorryServer() {
    return sorryActive ? sorryServer : Optional.empty();
  }

  Optional<SorryServer> sorryServer() {
    return sorryServer;
  }

  int quorum() {
    return quorum;
  }

  int hysteresis() {
    return hysteresis;
  }
}
