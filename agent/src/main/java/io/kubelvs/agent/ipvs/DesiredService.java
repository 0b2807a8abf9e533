package io.kubelvs.agent.ipvs;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One virtual service as kubelvs wants it in the kernel, with all its real servers. Construction
 * checks what the kernel (or ipvsadm before it) would refuse or silently change, so that bad input
 * is reported before anything is applied rather than half-way through. A failed check is an
 * IllegalArgumentException naming the service and, where it applies, the real server.
 */
public record DesiredService(IpvsService service, List<Destination> destinations) {

  /** The schedulers of Linux's ip_vs_*.c modules, by the name the kernel registers them under. */
  public static final Set<String> KERNEL_SCHEDULERS =
      Set.of(
          "rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh",
          "twos");

  /** Connection thresholds are __u32 in struct ip_vs_dest_user_kern. */
  private static final long MAX_THRESHOLD = 0xFFFF_FFFFL;

  public DesiredService {
    Objects.requireNonNull(service, "service");
    destinations = List.copyOf(destinations);
    checkService(service);
    Set<DestinationKey> seen = new HashSet<>();
    for (Destination d : destinations) {
      if (!seen.add(d.key())) {
        throw invalid(service, d, "is listed twice; a real server appears once per service");
      }
      checkDestination(service, d);
    }
  }

  public static DesiredService of(IpvsService service, Destination... destinations) {
    return new DesiredService(service, List.of(destinations));
  }

  public ServiceKey key() {
    return service.key();
  }

  private static void checkService(IpvsService s) {
    if (!KERNEL_SCHEDULERS.contains(s.scheduler())) {
      throw invalid(
          s,
          "scheduler \"" + s.scheduler() + "\" is not one of the kernel's: " + sortedSchedulers());
    }
    if ((s.flags() & ServiceFlags.HASHED) != 0
        || (s.flags() & ~(ServiceFlags.USER_FLAGS | ServiceFlags.PERSISTENT)) != 0) {
      throw invalid(
          s,
          String.format(
              "flags 0x%x include bits that are not one-packet or scheduler flags", s.flags()));
    }
    if ((s.flags() & ServiceFlags.PERSISTENT) != 0 && !s.persistent()) {
      throw invalid(s, "the PERSISTENT flag needs a persistence timeout above 0");
    }
    // ip_vs_add_service() refuses an IPv6 netmask outside 1-128 with EINVAL, persistent or not.
    if (s.key().family() == AddressFamily.INET6 && (s.netmask() < 1 || s.netmask() > 128)) {
      throw invalid(s, "IPv6 netmask " + s.netmask() + " is not a prefix length 1-128");
    }
    // Port 0 means "every port", which only makes sense with persistence (ipvsadm refuses it too).
    if (s.key() instanceof ServiceKey.Address a && a.port() == 0 && !s.persistent()) {
      throw invalid(s, "port 0 (all ports) needs persistence");
    }
  }

  private static void checkDestination(IpvsService s, Destination d) {
    // Since Linux 3.18 only a tunnel may carry packets to a real server of the other family.
    if (AddressFamily.of(d.address()) != s.key().family() && d.forwarding() != Forwarding.TUN) {
      throw invalid(s, d, "is not of the service's address family " + s.key().family());
    }
    checkPortKept(s, d);
    if (d.upperThreshold() < 0 || d.upperThreshold() > MAX_THRESHOLD) {
      throw invalid(s, d, "upper threshold " + d.upperThreshold() + " is outside 0-4294967295");
    }
    if (d.lowerThreshold() < 0 || d.lowerThreshold() > d.upperThreshold()) {
      // ip_vs_add_dest() refuses a lower threshold above the upper one with ERANGE.
      throw invalid(
          s,
          d,
          "lower threshold "
              + d.lowerThreshold()
              + " is outside 0 to the upper threshold "
              + d.upperThreshold());
    }
    if (d.tunnelPort() < 0 || d.tunnelPort() > 65535) {
      throw invalid(s, d, "tunnel port " + d.tunnelPort() + " is outside 0-65535");
    }
    if (d.forwarding() == Forwarding.TUN
        && d.tunnelType() == TunnelType.GUE
        && d.tunnelPort() == 0) {
      throw invalid(s, d, "GUE tunnelling needs a tunnel port (the kernel refuses 0)");
    }
  }

  /**
   * DR and TUN forward the packet unchanged, so the real server sees the service's port: ipvsadm
   * -g/-i overwrite the destination port with it (0 for a fwmark service). We refuse instead of
   * overwriting, so the kernel never reports a port other than the one asked for.
   */
  private static void checkPortKept(IpvsService s, Destination d) {
    if (d.forwarding() != Forwarding.DR && d.forwarding() != Forwarding.TUN) {
      return;
    }
    int kept = s.key() instanceof ServiceKey.Address a ? a.port() : 0;
    if (d.port() != kept) {
      throw invalid(
          s,
          d,
          d.forwarding()
              + " keeps the packet's destination port, so the real server's port must be "
              + kept
              + (kept == 0 ? " for a fwmark service" : ", the service's"));
    }
  }

  private static String sortedSchedulers() {
    return String.join(", ", KERNEL_SCHEDULERS.stream().sorted().toList());
  }

  private static IllegalArgumentException invalid(IpvsService s, String problem) {
    return new IllegalArgumentException("IPVS service " + s.key() + ": " + problem);
  }

  private static IllegalArgumentException invalid(IpvsService s, Destination d, String problem) {
    return new IllegalArgumentException(
        "IPVS service " + s.key() + ", real server " + d.key() + ": " + problem);
  }
}
