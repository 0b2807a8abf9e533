package io.kubelvs.agent.vrrp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Another interface whose link state an instance tracks, as keepalived's {@code track_interface}:
 * the interface is up while it is up and running ({@code IFF_UP} and {@code IFF_RUNNING}); one that
 * does not exist is down. The weight acts as a {@link TrackedCondition}'s with rise and fall 1: 0
 * puts the instance in FAULT while the interface is down; a positive weight is added while it is
 * up, a negative one while it is down.
 *
 * @param interfaceName the interface [track_interface IFNAME]
 * @param weight priority change, -254..254 [weight]
 */
public record TrackedInterface(String interfaceName, int weight) {

  /** IFNAMSIZ - 1. */
  private static final int MAX_NAME_BYTES = 15;

  public TrackedInterface {
    if (interfaceName == null
        || interfaceName.isBlank()
        || interfaceName.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      throw new IllegalArgumentException(
          "track_interface \"" + interfaceName + "\" is not an interface name of 1-15 bytes");
    }
    if (weight < -254 || weight > 254) {
      throw new IllegalArgumentException(
          "track_interface " + interfaceName + ": weight " + weight + " not in ±254");
    }
  }

  /** The condition the runner feeds with the link's state: one event decides, as keepalived. */
  TrackedCondition condition() {
    Duration unused = Duration.ofSeconds(1);
    return new TrackedCondition(
        new TrackedCondition.Settings(
            "interface " + interfaceName, unused, unused, 1, 1, weight, false));
  }
}
