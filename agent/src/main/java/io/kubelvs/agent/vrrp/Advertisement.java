package io.kubelvs.agent.vrrp;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A VRRP advertisement as received, after the codec's checks (TTL, length, checksum,
 * authentication): the fields the state machine decides on.
 *
 * @param advertInterval the Max Advertise Interval field (v3 centiseconds, v2 seconds) as a
 *     duration
 * @param addresses the IPvX address list carried in the packet
 * @param source the sender's primary address (the IP source of the packet)
 * @param fromConfiguredPeer in unicast mode, whether {@code source} is one of the configured
 *     unicast peers; ignored in multicast mode
 */
public record Advertisement(
    int version,
    int vrid,
    int priority,
    Duration advertInterval,
    List<InetAddress> addresses,
    InetAddress source,
    boolean fromConfiguredPeer) {

  public Advertisement {
    if (priority < 0 || priority > 255) {
      throw new IllegalArgumentException("advert priority " + priority + " is not in 0..255");
    }
    Objects.requireNonNull(advertInterval, "advertInterval");
    Objects.requireNonNull(source, "source");
    addresses = List.copyOf(addresses);
  }

  /** The source as an operator reads it: "198.18.0.11". */
  String sourceText() {
    return source.getHostAddress();
  }
}
