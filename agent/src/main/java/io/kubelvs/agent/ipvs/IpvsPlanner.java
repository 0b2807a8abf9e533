package io.kubelvs.agent.ipvs;

import io.kubelvs.agent.ipvs.IpvsOperation.AddDestination;
import io.kubelvs.agent.ipvs.IpvsOperation.AddService;
import io.kubelvs.agent.ipvs.IpvsOperation.DeleteDestination;
import io.kubelvs.agent.ipvs.IpvsOperation.DeleteService;
import io.kubelvs.agent.ipvs.IpvsOperation.EditDestination;
import io.kubelvs.agent.ipvs.IpvsOperation.EditService;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Diffs the desired services against the kernel's table and returns the fewest operations that
 * reach them. A pure function: no I/O, no clock, and the same plan whatever order the inputs come
 * in (everything is sorted by {@link KeyOrder}).
 *
 * <p>Rules, from the IPVS issue:
 *
 * <ul>
 *   <li>Only services in {@code owned} or in {@code desired} are ever touched.
 *   <li>A desired key the kernel has but kubelvs does not own is a {@link IpvsPlan.Conflict}: no
 *       operation at all for it.
 *   <li>A service whose key is unchanged is never deleted and re-created (that drops its
 *       connections): settings differences become one EditService.
 *   <li>Destinations are diffed by address and port: add, edit in place, or delete.
 *   <li>An owned service no longer desired is deleted with one DeleteService (the kernel removes
 *       its destinations with it); one already gone from the kernel just leaves the owned set.
 *   <li>Order: service deletions first; then each added or edited service followed by its
 *       destination deletions and then its additions and edits.
 * </ul>
 *
 * What counts as "different" is {@link IpvsComparison}'s.
 */
public final class IpvsPlanner {

  public IpvsPlan plan(
      Collection<DesiredService> desired,
      Set<ServiceKey> owned,
      List<ObservedService> observedServices,
      Map<ServiceKey, List<ObservedDestination>> observedDestinations) {
    Map<ServiceKey, DesiredService> wanted = byKey(desired);
    Map<ServiceKey, IpvsService> inKernel = new TreeMap<>(KeyOrder.SERVICES);
    for (ObservedService o : observedServices) {
      inKernel.put(o.service().key(), o.service());
    }
    List<IpvsOperation> operations = new ArrayList<>();
    List<IpvsPlan.Conflict> conflicts = new ArrayList<>();
    Set<ServiceKey> nowOwned = new TreeSet<>(KeyOrder.SERVICES);

    for (ServiceKey key : sorted(owned)) {
      if (!wanted.containsKey(key) && inKernel.containsKey(key)) {
        operations.add(new DeleteService(key));
      }
    }
    for (DesiredService service : wanted.values()) {
      ServiceKey key = service.key();
      IpvsService current = inKernel.get(key);
      if (current != null && !owned.contains(key)) {
        conflicts.add(conflict(current));
        continue;
      }
      if (current == null) {
        addService(service, operations);
      } else {
        List<ObservedDestination> destinations = observedDestinations.getOrDefault(key, List.of());
        updateService(service, current, destinations, operations);
      }
      nowOwned.add(key);
    }
    return new IpvsPlan(operations, conflicts, nowOwned);
  }

  private static Map<ServiceKey, DesiredService> byKey(Collection<DesiredService> desired) {
    Map<ServiceKey, DesiredService> wanted = new TreeMap<>(KeyOrder.SERVICES);
    for (DesiredService service : desired) {
      if (wanted.put(service.key(), service) != null) {
        throw new IllegalArgumentException(
            "IPVS service " + service.key() + " is desired twice; a key identifies one service");
      }
    }
    return wanted;
  }

  private static List<ServiceKey> sorted(Set<ServiceKey> keys) {
    return keys.stream().sorted(KeyOrder.SERVICES).toList();
  }

  private static void addService(DesiredService service, List<IpvsOperation> operations) {
    operations.add(new AddService(service.service()));
    service.destinations().stream()
        .sorted(Comparator.comparing(Destination::key, KeyOrder.DESTINATIONS))
        .forEach(d -> operations.add(new AddDestination(service.key(), d)));
  }

  private static void updateService(
      DesiredService service,
      IpvsService current,
      List<ObservedDestination> observed,
      List<IpvsOperation> operations) {
    ServiceKey key = service.key();
    if (!IpvsComparison.sameSettings(service.service(), current)) {
      operations.add(new EditService(service.service()));
    }
    Map<DestinationKey, Destination> have = new TreeMap<>(KeyOrder.DESTINATIONS);
    observed.forEach(o -> have.put(o.destination().key(), o.destination()));
    Map<DestinationKey, Destination> want = new TreeMap<>(KeyOrder.DESTINATIONS);
    service.destinations().forEach(d -> want.put(d.key(), d));

    for (DestinationKey gone : have.keySet()) {
      if (!want.containsKey(gone)) {
        operations.add(new DeleteDestination(key, gone));
      }
    }
    for (Destination d : want.values()) {
      Destination existing = have.get(d.key());
      if (existing == null) {
        operations.add(new AddDestination(key, d));
      } else if (!IpvsComparison.sameDestination(d, existing)) {
        operations.add(new EditDestination(key, d));
      }
    }
  }

  private static IpvsPlan.Conflict conflict(IpvsService foreign) {
    return new IpvsPlan.Conflict(
        foreign.key(),
        "IPVS service "
            + foreign.key()
            + " (scheduler "
            + foreign.scheduler()
            + ") already exists and was not made by kubelvs (kube-proxy, kube-router or a"
            + " hand-made ipvsadm rule?); left untouched");
  }
}
