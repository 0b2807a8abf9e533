package io.kubelvs.agent.check;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * keepalived's sorry_server: the destination that takes a virtual server's traffic while its quorum
 * is lost ("all real servers will be brought down when the quorum is not achieved and be replaced
 * with the sorry server", keepalived.conf(5)).
 *
 * @param address the sorry server
 * @param inhibit sorry_server_inhibit: while not needed the sorry server stays in the table with
 *     weight 0 instead of being removed
 */
public record SorryServer(InetSocketAddress address, boolean inhibit) {

  /**
   * The weight of an active sorry server; keepalived gives the sorry server no weight keyword and
   * adds it with weight 1.
   */
  public static final int WEIGHT = 1;

  public SorryServer {
    Objects.requireNonNull(address, "address");
  }
}
