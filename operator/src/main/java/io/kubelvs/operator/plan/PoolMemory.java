package io.kubelvs.operator.plan;

import io.kubelvs.api.v1alpha1.VipAllocation;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One pool's previous allocations, read into lookups. Entries that cannot be read (no address, no
 * virtual router id) are forgotten rather than trusted; where entries disagree (one VIP in two
 * instances, one instance with two preferred masters) the first in (vrid, VIP) order wins, so the
 * reading is as deterministic as the planning.
 */
final class PoolMemory {

  private final Map<IpAddress, Integer> vridOfVip = new HashMap<>();
  private final Map<Integer, Optional<String>> preferredMasterOfVrid = new HashMap<>();
  private final Map<VirtualServiceKey, IpAddress> vipOfService = new HashMap<>();

  PoolMemory(List<VipAllocation> allocations) {
    record Entry(IpAddress vip, int vrid, VipAllocation allocation) {}
    List<Entry> entries =
        allocations.stream()
            .filter(a -> a.vip() != null && a.vrid() != null)
            .flatMap(
                a -> {
                  try {
                    return Stream.of(new Entry(IpAddress.parse(a.vip()), a.vrid(), a));
                  } catch (IllegalArgumentException unreadable) {
                    return Stream.empty();
                  }
                })
            .sorted(Comparator.comparingInt(Entry::vrid).thenComparing(Entry::vip))
            .toList();
    for (Entry entry : entries) {
      if (vridOfVip.putIfAbsent(entry.vip(), entry.vrid()) != null) {
        continue;
      }
      preferredMasterOfVrid.putIfAbsent(
          entry.vrid(), Optional.ofNullable(entry.allocation().preferredMaster()));
      List<String> users =
          entry.allocation().virtualServices() == null
              ? List.of()
              : entry.allocation().virtualServices();
      for (String user : users) {
        try {
          vipOfService.putIfAbsent(VirtualServiceKey.parse(user), entry.vip());
        } catch (IllegalArgumentException unreadable) {
          // not a namespace/name: nobody to remember it for
        }
      }
    }
  }

  /** The VIP the VirtualService had, if the previous plan placed it in this pool. */
  Optional<IpAddress> vipOf(VirtualServiceKey service) {
    return Optional.ofNullable(vipOfService.get(service));
  }

  /** The virtual router id of the instance that carried the VIP. */
  Optional<Integer> vridOf(IpAddress vip) {
    return Optional.ofNullable(vridOfVip.get(vip));
  }

  /** The preferred master of the instance; empty if unknown or if it had none. */
  Optional<String> preferredMasterOf(int vrid) {
    return preferredMasterOfVrid.getOrDefault(vrid, Optional.empty());
  }
}
