package io.kubelvs.agent.check;

/**
 * Receives the health checker's decisions, on the checker's timer thread: keep both methods short
 * and never block in them (hand the work to another thread), or every check waits.
 */
public interface HealthListener {

  /** The destinations of one virtual server changed (or were decided by an apply). */
  void onDestinations(DesiredDestinations destinations);

  /** A real server or a quorum changed state. */
  void onEvent(HealthEvent event);
}
