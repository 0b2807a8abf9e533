package io.kubelvs.agent.ipvs;

import java.util.Objects;

/**
 * The settings of one IPVS virtual service (ipvsadm -A/-E). Persistence is on when {@code
 * persistenceTimeoutSeconds > 0}; {@code netmask} is the persistence granularity: for IPv4 the mask
 * as an int in host order (0xFFFFFFFF for /32), for IPv6 the prefix length (128).
 *
 * @param flags the scheduler and one-packet flags of {@link ServiceFlags}; the kernel's own HASHED
 *     and PERSISTENT bits are derived, not set here
 */
public record IpvsService(
    ServiceKey key, String scheduler, int flags, int persistenceTimeoutSeconds, int netmask) {

  public IpvsService {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(scheduler, "scheduler");
    if (persistenceTimeoutSeconds < 0) {
      throw new IllegalArgumentException("persistence timeout must not be negative");
    }
  }

  /** A service without persistence and with the default netmask of its family. */
  public static IpvsService of(ServiceKey key, String scheduler) {
    return new IpvsService(key, scheduler, 0, 0, defaultNetmask(key.family()));
  }

  public static int defaultNetmask(AddressFamily family) {
    return family == AddressFamily.INET ? 0xFFFF_FFFF : 128;
  }

  public boolean persistent() {
    return persistenceTimeoutSeconds > 0;
  }

  public IpvsService withScheduler(String newScheduler) {
    return new IpvsService(key, newScheduler, flags, persistenceTimeoutSeconds, netmask);
  }

  public IpvsService withPersistence(int timeoutSeconds, int newNetmask) {
    return new IpvsService(key, scheduler, flags, timeoutSeconds, newNetmask);
  }

  public IpvsService withFlags(int newFlags) {
    return new IpvsService(key, scheduler, newFlags, persistenceTimeoutSeconds, netmask);
  }
}
