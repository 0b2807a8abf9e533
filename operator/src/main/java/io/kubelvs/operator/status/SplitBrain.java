package io.kubelvs.operator.status;

import io.kubelvs.api.v1alpha1.VrrpState;
import java.util.Collection;
import java.util.List;

/**
 * Which directors report MASTER for a VRRP instance. More than one is split brain: both hold the
 * VIP and answer ARP for it, so clients reach whichever answered last. The agents cannot see it
 * when they cannot hear each other's adverts; only the operator, reading every Director, can.
 */
final class SplitBrain {
  private SplitBrain() {}

  /** The nodes reporting MASTER of {@code instance}, by name. */
  static List<String> masters(String instance, Collection<DirectorView> directors) {
    return directors.stream()
        .filter(
            d -> d.instanceStatus(instance).map(i -> i.state() == VrrpState.MASTER).orElse(false))
        .map(DirectorView::node)
        .sorted()
        .toList();
  }

  static String message(String instance, List<String> masters) {
    return "split brain: "
        + String.join(" and ", masters)
        + " all report MASTER of VRRP instance "
        + instance
        + "; check that they hear each other's adverts (network, VRRP version, authentication)";
  }
}
