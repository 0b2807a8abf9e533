package io.kubelvs.operator.plan;

import io.kubelvs.api.v1alpha1.IpFamily;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Gives every port service its VIP: spec.vip if written; else the VIP the previous plan allocated
 * to it, while that is still in its pool's ranges; else the lowest free address of its pool's
 * ranges of its family, in the order the ranges are written.
 *
 * <p>"Free" is decided before anything new is allocated: every written VIP, every remembered VIP
 * and every node's InternalIP is taken. So a new allocation can never take the address another
 * VirtualService holds or still remembers, whatever order the services are planned in.
 */
final class VipAssignment {

  // Looked up for every service on every pass: hashed, not sorted.
  private final Map<VirtualServiceKey, IpAddress> vips = new HashMap<>();
  private final Map<VirtualServiceKey, Problem> problems = new TreeMap<>();

  /**
   * @param requests oldest first
   * @param memory each pool's previous allocations
   * @param reserved addresses never to allocate (the nodes' own)
   */
  VipAssignment(
      List<ServiceRequest> requests, Map<String, PoolMemory> memory, Set<IpAddress> reserved) {
    Set<IpAddress> taken = new HashSet<>(reserved);
    for (ServiceRequest request : requests) {
      known(request, memory)
          .ifPresent(
              vip -> {
                vips.put(request.key(), vip);
                taken.add(vip);
              });
    }
    Map<AddressRange, IpAddress> cursors = new HashMap<>();
    for (ServiceRequest request : requests) {
      if (request.isFwmark() || vips.containsKey(request.key())) {
        continue;
      }
      allocate(request, taken, cursors);
    }
  }

  Map<VirtualServiceKey, IpAddress> vips() {
    return vips;
  }

  Map<VirtualServiceKey, Problem> problems() {
    return problems;
  }

  private static Optional<IpAddress> known(ServiceRequest request, Map<String, PoolMemory> memory) {
    if (request.explicitVip() != null) {
      return Optional.of(request.explicitVip());
    }
    if (request.isFwmark()) {
      return Optional.empty();
    }
    PoolMemory pool = memory.get(request.pool().name());
    return (pool == null ? Optional.<IpAddress>empty() : pool.vipOf(request.key()))
        .filter(vip -> vip.family() == request.family() && request.pool().covers(vip));
  }

  private void allocate(
      ServiceRequest request, Set<IpAddress> taken, Map<AddressRange, IpAddress> cursors) {
    PoolSettings pool = request.pool();
    IpFamily family = request.family();
    List<AddressRange> ranges =
        pool.vipRanges().stream().filter(r -> r.family() == family).toList();
    if (ranges.isEmpty()) {
      problems.put(
          request.key(),
          Problem.invalid(
              "NoVipRanges",
              "DirectorPool "
                  + pool.name()
                  + " has no "
                  + family
                  + " vipRanges to allocate a VIP from; set spec.vip or ask for such a range"));
      return;
    }
    for (AddressRange range : ranges) {
      // Within one plan allocations only move up a range: everything below the cursor is taken.
      IpAddress candidate = cursors.getOrDefault(range, range.first());
      while (candidate != null && taken.contains(candidate)) {
        candidate = candidate.equals(range.last()) ? null : candidate.plus(1);
      }
      if (candidate != null) {
        taken.add(candidate);
        vips.put(request.key(), candidate);
        if (!candidate.equals(range.last())) {
          cursors.put(range, candidate.plus(1));
        }
        return;
      }
      cursors.put(range, range.last());
    }
    problems.put(
        request.key(),
        Problem.exhausted(
            "VipsExhausted",
            "every "
                + family
                + " address in the vipRanges of DirectorPool "
                + pool.name()
                + " ("
                + ranges.stream().map(AddressRange::text).collect(Collectors.joining(", "))
                + ") is in use"));
  }
}
