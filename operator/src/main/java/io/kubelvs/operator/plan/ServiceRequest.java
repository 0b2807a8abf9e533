package io.kubelvs.operator.plan;

import io.kubelvs.api.v1alpha1.IpFamily;
import io.kubelvs.api.v1alpha1.ServicePort;
import io.kubelvs.api.v1alpha1.VirtualService;
import io.kubelvs.api.v1alpha1.VirtualServiceSpec;
import java.util.List;

/**
 * A VirtualService that passed validation: its pool exists and is valid, its VIP (if written) is an
 * address the pool may use, its family is known.
 *
 * @param explicitVip spec.vip, or null when the VIP is to be allocated (or for a fwmark service)
 * @param ports the ports; empty for a fwmark service
 */
record ServiceRequest(
    VirtualServiceKey key,
    Seniority seniority,
    long generation,
    VirtualServiceSpec spec,
    PoolSettings pool,
    IpFamily family,
    IpAddress explicitVip,
    List<ServicePort> ports,
    String preferredNode) {

  static ServiceRequest of(
      VirtualService vs, PoolSettings pool, IpFamily family, IpAddress explicitVip) {
    VirtualServiceSpec spec = vs.getSpec();
    Long generation = vs.getMetadata().getGeneration();
    return new ServiceRequest(
        VirtualServiceKey.of(vs),
        Seniority.of(vs.getMetadata()),
        generation == null ? 0 : generation,
        spec,
        pool,
        family,
        explicitVip,
        spec.ports() == null ? List.of() : List.copyOf(spec.ports()),
        spec.preferredNode());
  }

  boolean isFwmark() {
    return spec.fwmark() != null;
  }
}
