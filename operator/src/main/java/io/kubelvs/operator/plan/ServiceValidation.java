package io.kubelvs.operator.plan;

import io.kubelvs.api.v1alpha1.IpFamily;
import io.kubelvs.api.v1alpha1.Protocol;
import io.kubelvs.api.v1alpha1.ServicePort;
import io.kubelvs.api.v1alpha1.VirtualService;
import io.kubelvs.api.v1alpha1.VirtualServiceSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks one VirtualService against the pools before anything is allocated. The CRD's schema
 * already refuses most malformed objects; what is left is what needs other objects to judge (does
 * the pool exist, is the VIP the pool's) and what objects built in code may still get wrong.
 */
final class ServiceValidation {

  /** Either a request to plan or the reason there is none. */
  record Result(ServiceRequest request, Problem problem) {}

  private final Map<String, PoolSettings> validPools;
  private final Map<String, String> invalidPools;

  /**
   * @param validPools pools that were read, by name
   * @param invalidPools why each unreadable pool is invalid, by name
   */
  ServiceValidation(Map<String, PoolSettings> validPools, Map<String, String> invalidPools) {
    this.validPools = validPools;
    this.invalidPools = invalidPools;
  }

  Result check(VirtualService vs) {
    VirtualServiceSpec spec = vs.getSpec();
    if (spec == null || spec.poolName() == null) {
      return invalid("NoPool", "spec.poolName is missing");
    }
    if (invalidPools.containsKey(spec.poolName())) {
      return invalid(
          "PoolInvalid",
          "DirectorPool " + spec.poolName() + " is invalid: " + invalidPools.get(spec.poolName()));
    }
    PoolSettings pool = validPools.get(spec.poolName());
    if (pool == null) {
      return invalid("PoolNotFound", "DirectorPool " + spec.poolName() + " does not exist");
    }
    boolean hasPorts = spec.ports() != null && !spec.ports().isEmpty();
    if (hasPorts == (spec.fwmark() != null)) {
      return invalid("PortsOrFwmark", "set exactly one of spec.ports or spec.fwmark");
    }
    if (hasPorts) {
      Set<String> seen = new HashSet<>();
      for (ServicePort port : spec.ports()) {
        if (port.port() == null) {
          return invalid("PortMissing", "a port in spec.ports has no port number");
        }
        if (!seen.add(port.port() + "/" + protocol(port))) {
          return invalid(
              "DuplicatePort", "spec.ports lists " + port.port() + "/" + protocol(port) + " twice");
        }
      }
    }
    IpAddress vip = null;
    if (spec.vip() != null) {
      if (spec.fwmark() != null) {
        return invalid("VipWithFwmark", "a fwmark service has no vip; remove spec.vip");
      }
      try {
        vip = IpAddress.parse(spec.vip());
      } catch (IllegalArgumentException e) {
        return invalid("VipInvalid", "spec.vip: " + e.getMessage());
      }
    }
    IpFamily family = vip != null ? vip.family() : orIpv4(spec.ipFamily());
    if (vip != null && spec.ipFamily() != null && spec.ipFamily() != family) {
      return invalid(
          "FamilyMismatch",
          "spec.ipFamily is " + spec.ipFamily() + " but spec.vip " + vip + " is not");
    }
    if (family == IpFamily.IPv6 && pool.version() == 2) {
      return invalid(
          "FamilyNotCarried",
          "DirectorPool " + pool.name() + " speaks VRRP version 2, which carries IPv4 VIPs only");
    }
    if (vip != null) {
      Problem outside = checkRanges(vip, pool);
      if (outside != null) {
        return new Result(null, outside);
      }
    }
    return new Result(ServiceRequest.of(vs, pool, family, vip), null);
  }

  /**
   * A VIP must lie in its pool's vipRanges when the pool has any: the platform team's ranges fence
   * what app teams may announce on the directors' network. A pool without ranges accepts any VIP,
   * except one inside another pool's ranges, which that pool may hand out.
   */
  private Problem checkRanges(IpAddress vip, PoolSettings pool) {
    if (!pool.vipRanges().isEmpty()) {
      if (pool.covers(vip)) {
        return null;
      }
      return Problem.invalid(
          "VipOutOfRange",
          "VIP "
              + vip
              + " is outside the vipRanges of DirectorPool "
              + pool.name()
              + " ("
              + pool.vipRanges().stream().map(AddressRange::text).collect(Collectors.joining(", "))
              + ")");
    }
    List<String> others =
        validPools.values().stream()
            .filter(p -> !p.name().equals(pool.name()) && p.covers(vip))
            .map(PoolSettings::name)
            .sorted()
            .toList();
    if (others.isEmpty()) {
      return null;
    }
    return Problem.invalid(
        "VipOfOtherPool",
        "VIP "
            + vip
            + " is in the vipRanges of DirectorPool "
            + others.get(0)
            + ", not of "
            + pool.name());
  }

  static Protocol protocol(ServicePort port) {
    return port.protocol() == null ? Protocol.TCP : port.protocol();
  }

  private static IpFamily orIpv4(IpFamily family) {
    return family == null ? IpFamily.IPv4 : family;
  }

  private static Result invalid(String reason, String message) {
    return new Result(null, Problem.invalid(reason, message));
  }
}
