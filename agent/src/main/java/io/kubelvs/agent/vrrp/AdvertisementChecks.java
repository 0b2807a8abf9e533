package io.kubelvs.agent.vrrp;

import java.net.InetAddress;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receive checks of RFC 5798 §7.1 that need the instance's configuration (the codec has done
 * TTL, length, checksum and authentication), and the election's comparison of two routers.
 */
final class AdvertisementChecks {

  private static final Logger log = LoggerFactory.getLogger(AdvertisementChecks.class);

  private final VrrpInstanceConfig config;
  private final VrrpOutbox outbox;
  private boolean mismatchReported;

  AdvertisementChecks(VrrpInstanceConfig config, VrrpOutbox outbox) {
    this.config = config;
    this.outbox = outbox;
  }

  /** Whether the instance acts on this advert; counts it either way. */
  boolean accept(Advertisement advert) {
    Optional<VrrpCounter> drop = dropReason(config, advert);
    if (drop.isPresent()) {
      outbox.count(drop.get());
      log.debug(
          "vrrp advert dropped instance={} source={} reason={}",
          config.name(),
          advert.sourceText(),
          drop.get());
      return false;
    }
    outbox.count(VrrpCounter.ADVERTS_RECEIVED);
    if (advert.priority() == 0) {
      outbox.count(VrrpCounter.PRIORITY_ZERO_RECEIVED);
    }
    if (addressListMatches(config, advert)) {
      mismatchReported = false;
    } else {
      outbox.count(VrrpCounter.ADDRESS_LIST_MISMATCH);
      reportMismatch(advert);
    }
    return true;
  }

  /** One warning per run of mismatched adverts, not one per packet. */
  private void reportMismatch(Advertisement advert) {
    if (!mismatchReported) {
      mismatchReported = true;
      log.warn(
          "vrrp address list mismatch instance={} source={} theirs={} ours={}",
          config.name(),
          advert.sourceText(),
          advert.addresses(),
          config.virtualAddresses());
    }
  }

  /** Why the instance drops this advert, or empty to act on it. */
  static Optional<VrrpCounter> dropReason(VrrpInstanceConfig config, Advertisement advert) {
    if (advert.version() != config.version() || advert.vrid() != config.vrid()) {
      return Optional.of(VrrpCounter.DROPPED_WRONG_VERSION_OR_VRID);
    }
    if (advert.source().equals(config.primaryAddress())) {
      return Optional.of(VrrpCounter.DROPPED_OWN_ADVERT);
    }
    if (config.unicast() && !advert.fromConfiguredPeer()) {
      return Optional.of(VrrpCounter.DROPPED_NOT_A_PEER);
    }
    // RFC 3768 §7.1: a v2 advert whose Adver Int differs from ours MUST be discarded. v3 instead
    // adopts the master's interval.
    if (config.version() == 2 && !advert.advertInterval().equals(config.advertInterval())) {
      return Optional.of(VrrpCounter.DROPPED_ADVERT_INTERVAL_MISMATCH);
    }
    return Optional.empty();
  }

  /**
   * RFC 5798 §7.1 says a mismatched list "MAY" be logged; keepalived logs, counts and still uses
   * the advert, and so do we: dropping it would make two routers with different lists both master.
   */
  static boolean addressListMatches(VrrpInstanceConfig config, Advertisement advert) {
    return Set.copyOf(advert.addresses()).equals(Set.copyOf(config.virtualAddresses()));
  }

  /**
   * RFC 5798 §6.4.3: the sender wins when its priority is greater than ours, or equal and its
   * primary address is greater than ours.
   */
  static boolean outranks(Advertisement advert, int localPriority, InetAddress localPrimary) {
    return advert.priority() > localPriority
        || (advert.priority() == localPriority
            && compareAddresses(advert.source(), localPrimary) > 0);
  }

  /** Addresses as unsigned big-endian numbers; IPv4 sorts before IPv6. */
  static int compareAddresses(InetAddress a, InetAddress b) {
    byte[] x = a.getAddress();
    byte[] y = b.getAddress();
    if (x.length != y.length) {
      return Integer.compare(x.length, y.length);
    }
    for (int i = 0; i < x.length; i++) {
      int c = Integer.compare(x[i] & 0xff, y[i] & 0xff);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
