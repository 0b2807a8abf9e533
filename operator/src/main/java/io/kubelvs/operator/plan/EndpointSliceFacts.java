package io.kubelvs.operator.plan;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Map;

/**
 * What the planner needs of an EndpointSlice: which Service it belongs to, its ports and its
 * endpoints' first addresses with their readiness. An immutable copy of the informer's object.
 *
 * @param addressType IPv4, IPv6 or FQDN, as the slice says
 */
public record EndpointSliceFacts(
    String namespace,
    String serviceName,
    String addressType,
    List<Port> ports,
    List<Endpoint> endpoints) {

  /** The label the EndpointSlice controller puts on every slice of a Service. */
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  public EndpointSliceFacts {
    ports = List.copyOf(ports);
    endpoints = List.copyOf(endpoints);
  }

  /** A port of the slice; {@code name} is the Service port's name, or null when it has none. */
  public record Port(String name, Integer port, String protocol) {}

  /**
   * An endpoint. Only the first address counts: Kubernetes documents an endpoint's addresses as
   * fungible, and consumers may use only the first.
   */
  public record Endpoint(String address, boolean ready) {}

  public static EndpointSliceFacts of(EndpointSlice slice) {
    Map<String, String> labels = slice.getMetadata().getLabels();
    String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
    List<Port> ports =
        slice.getPorts() == null
            ? List.of()
            : slice.getPorts().stream()
                .map(p -> new Port(p.getName(), p.getPort(), p.getProtocol()))
                .toList();
    List<Endpoint> endpoints =
        slice.getEndpoints() == null
            ? List.of()
            : slice.getEndpoints().stream()
                .filter(e -> e.getAddresses() != null && !e.getAddresses().isEmpty())
                .map(
                    e ->
                        // A nil ready condition means "unknown", which consumers treat as ready.
                        new Endpoint(
                            e.getAddresses().get(0),
                            e.getConditions() == null
                                || e.getConditions().getReady() == null
                                || e.getConditions().getReady()))
                .toList();
    return new EndpointSliceFacts(
        slice.getMetadata().getNamespace(), service, slice.getAddressType(), ports, endpoints);
  }
}
