package io.kubelvs.agent.check;

import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * A change the health checker saw, for status and notifications: keepalived's notify_up /
 * notify_down of a real server and quorum_up / quorum_down of a virtual server. Emitted only on a
 * change, never for a check that confirms what was known.
 */
public sealed interface HealthEvent {

  /** The reason of a real server's down when it left the configuration while up. */
  String REMOVED = "removed from the configuration";

  /** The reason of a real server's down at shutdown (omega). */
  String SHUTTING_DOWN = "shutting down";

  /** The id of the virtual server concerned. */
  String virtualServer();

  /** When the health checker saw it. */
  Instant at();

  /** A real server came up; {@code reason} is what its check said ("ok", "HTTP 200", ...). */
  record RealServerUp(String virtualServer, InetSocketAddress realServer, String reason, Instant at)
      implements HealthEvent {}

  /**
   * A real server went down; {@code reason} is why ("HTTP 503", "connect timeout 1s", "removed from
   * the configuration", ...).
   */
  record RealServerDown(
      String virtualServer, InetSocketAddress realServer, String reason, Instant at)
      implements HealthEvent {}

  /**
   * The healthy weight fell below {@code quorum - hysteresis} (or to 0), or the virtual server
   * started without quorum while a sorry server is configured.
   */
  record QuorumLost(
      String virtualServer, long healthyWeight, int quorum, int hysteresis, Instant at)
      implements HealthEvent {}

  /** The healthy weight reached {@code quorum + hysteresis}. */
  record QuorumRegained(
      String virtualServer, long healthyWeight, int quorum, int hysteresis, Instant at)
      implements HealthEvent {}
}
