package io.kubelvs.agent.ipvs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of the kernel's table a reconcile read before changing anything: every service, and the
 * destinations of the services kubelvs may touch. Plans are made from it, and a refused plan is
 * undone back to it.
 */
final class KernelSnapshot {
  private final List<ObservedService> services;
  private final Map<ServiceKey, List<ObservedDestination>> destinations;
  private final Map<ServiceKey, IpvsService> servicesByKey = new HashMap<>();

  KernelSnapshot(
      List<ObservedService> services, Map<ServiceKey, List<ObservedDestination>> destinations) {
    this.services = List.copyOf(services);
    this.destinations = Map.copyOf(destinations);
    services.forEach(o -> servicesByKey.put(o.service().key(), o.service()));
  }

  List<ObservedService> services() {
    return services;
  }

  Map<ServiceKey, List<ObservedDestination>> destinations() {
    return destinations;
  }

  IpvsService service(ServiceKey key) {
    IpvsService service = servicesByKey.get(key);
    if (service == null) {
      throw new IllegalStateException("IPVS service " + key + " was not in the table read");
    }
    return service;
  }

  List<ObservedDestination> destinationsOf(ServiceKey key) {
    return destinations.getOrDefault(key, List.of());
  }

  Destination destination(ServiceKey key, DestinationKey destination) {
    for (ObservedDestination o : destinationsOf(key)) {
      if (o.destination().key().equals(destination)) {
        return o.destination();
      }
    }
    throw new IllegalStateException(
        "real server " + destination + " of " + key + " was not in the table read");
  }
}
