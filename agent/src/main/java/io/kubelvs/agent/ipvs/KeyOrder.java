package io.kubelvs.agent.ipvs;

import java.util.Arrays;
import java.util.Comparator;

/**
 * A total order of service and destination keys by their fields and address bytes. Plans are sorted
 * by it so they do not depend on input order; it formats nothing, since a reconcile of 10,000
 * services compares keys hundreds of thousands of times.
 */
final class KeyOrder {
  static final Comparator<ServiceKey> SERVICES = KeyOrder::compare;

  static final Comparator<DestinationKey> DESTINATIONS =
      (a, b) -> {
        int byAddress = Arrays.compareUnsigned(a.address().getAddress(), b.address().getAddress());
        return byAddress != 0 ? byAddress : Integer.compare(a.port(), b.port());
      };

  private KeyOrder() {}

  private static int compare(ServiceKey a, ServiceKey b) {
    if (a instanceof ServiceKey.Address x && b instanceof ServiceKey.Address y) {
      int c = x.protocol().compareTo(y.protocol());
      if (c == 0) {
        c = Arrays.compareUnsigned(x.address().getAddress(), y.address().getAddress());
      }
      return c != 0 ? c : Integer.compare(x.port(), y.port());
    }
    if (a instanceof ServiceKey.Fwmark x && b instanceof ServiceKey.Fwmark y) {
      int c = x.family().compareTo(y.family());
      return c != 0 ? c : Long.compare(x.mark(), y.mark());
    }
    // Address services before fwmark services.
    return a instanceof ServiceKey.Address ? -1 : 1;
  }
}
