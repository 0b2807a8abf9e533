package io.kubelvs.operator.plan;

import io.kubelvs.api.v1alpha1.BackendsFrom;
import io.kubelvs.api.v1alpha1.ForwardingMethod;
import io.kubelvs.api.v1alpha1.RealServer;
import io.kubelvs.api.v1alpha1.ServicePort;
import io.kubelvs.api.v1alpha1.VirtualServiceSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Real servers of one virtual server, every field resolved: the listed ones (port defaults to the
 * port's targetPort, then to the port; forwarding to the service's), then the ready endpoints of
 * the backendsFrom Service on the endpoint port its portName selects. An address and port listed
 * twice is one real server, the listed one winning: IPVS has one destination per address and port.
 */
final class Backends {

  /** The real servers, and what the user should know about how they were found. */
  record Resolved(List<RealServer> realServers, List<String> notes) {}

  private final Map<String, List<EndpointSliceFacts>> slicesByService = new HashMap<>();

  Backends(List<EndpointSliceFacts> slices) {
    for (EndpointSliceFacts slice : slices) {
      if (slice.serviceName() != null) {
        slicesByService
            .computeIfAbsent(slice.namespace() + "/" + slice.serviceName(), k -> new ArrayList<>())
            .add(slice);
      }
    }
  }

  /**
   * @param port the virtual server's port; null for a firewall-mark service
   */
  Resolved resolve(ServiceRequest request, ServicePort port) {
    VirtualServiceSpec spec = request.spec();
    ForwardingMethod forwarding =
        spec.forwarding() == null ? ForwardingMethod.NAT : spec.forwarding();
    Map<String, RealServer> byDestination = new LinkedHashMap<>();
    for (RealServer listed :
        spec.realServers() == null ? List.<RealServer>of() : spec.realServers()) {
      Integer rsPort = listed.port() != null ? listed.port() : defaultPort(port);
      RealServer resolved =
          new RealServer(
              canonical(listed.address()),
              rsPort,
              listed.weight() == null ? 1 : listed.weight(),
              listed.forwarding() == null ? forwarding : listed.forwarding(),
              listed.upperThreshold(),
              listed.lowerThreshold());
      byDestination.putIfAbsent(resolved.address() + "|" + rsPort, resolved);
    }
    List<String> notes = new ArrayList<>();
    if (spec.backendsFrom() != null) {
      for (RealServer endpoint : endpoints(request, spec.backendsFrom(), forwarding, notes)) {
        byDestination.putIfAbsent(endpoint.address() + "|" + endpoint.port(), endpoint);
      }
    }
    return new Resolved(List.copyOf(byDestination.values()), notes);
  }

  private List<RealServer> endpoints(
      ServiceRequest request, BackendsFrom from, ForwardingMethod forwarding, List<String> notes) {
    String service = request.key().namespace() + "/" + from.serviceName();
    List<EndpointSliceFacts> slices =
        slicesByService.getOrDefault(service, List.of()).stream()
            .filter(s -> request.family().name().equals(s.addressType()))
            .toList();
    if (slices.isEmpty()) {
      notes.add("Service " + service + " has no " + request.family() + " EndpointSlices yet");
      return List.of();
    }
    int weight = from.weight() == null ? 1 : from.weight();
    // Sorted by address, so the order of slices and endpoints in the cluster does not show.
    Map<IpAddress, RealServer> ready = new TreeMap<>();
    for (EndpointSliceFacts slice : slices) {
      Integer endpointPort = endpointPort(slice, from, service, notes);
      if (endpointPort == null) {
        continue;
      }
      for (EndpointSliceFacts.Endpoint endpoint : slice.endpoints()) {
        IpAddress address;
        try {
          address = IpAddress.parse(endpoint.address());
        } catch (IllegalArgumentException notAnAddress) {
          continue;
        }
        if (endpoint.ready() && address.family() == request.family()) {
          ready.putIfAbsent(
              address,
              new RealServer(address.toString(), endpointPort, weight, forwarding, null, null));
        }
      }
    }
    return List.copyOf(ready.values());
  }

  /** The slice's port of portName, or its only port; null (with a note) when neither exists. */
  private static Integer endpointPort(
      EndpointSliceFacts slice, BackendsFrom from, String service, List<String> notes) {
    List<EndpointSliceFacts.Port> ports =
        slice.ports().stream()
            .filter(p -> from.portName() == null || Objects.equals(from.portName(), p.name()))
            .toList();
    if (ports.size() == 1 && ports.get(0).port() != null) {
      return ports.get(0).port();
    }
    String note =
        from.portName() == null
            ? "Service " + service + " has " + ports.size() + " ports; set backendsFrom.portName"
            : "Service " + service + " has no port named " + from.portName();
    if (!notes.contains(note)) {
      notes.add(note);
    }
    return null;
  }

  private static Integer defaultPort(ServicePort port) {
    if (port == null) {
      return 0; // fwmark: keep the packet's port
    }
    return port.targetPort() != null ? port.targetPort() : port.port();
  }

  private static String canonical(String address) {
    try {
      return IpAddress.parse(address).toString();
    } catch (IllegalArgumentException e) {
      return address;
    }
  }
}
