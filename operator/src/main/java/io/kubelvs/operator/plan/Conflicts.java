package io.kubelvs.operator.plan;

import io.kubelvs.api.v1alpha1.IpFamily;
import io.kubelvs.api.v1alpha1.Protocol;
import io.kubelvs.api.v1alpha1.ServicePort;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who keeps a VIP:port/protocol (or a firewall mark) that several VirtualServices claim: the
 * oldest, whatever their namespaces. The others get a Conflict naming it, and are planned on none
 * of their ports: half a service is harder to reason about than none. A VIP also belongs to one
 * pool, since two pools announcing it would fight over it by ARP.
 */
final class Conflicts {

  private sealed interface Claim {}

  private record PortClaim(IpAddress vip, int port, Protocol protocol) implements Claim {
    @Override
    public String toString() {
      return vip.family() == IpFamily.IPv6
          ? "[" + vip + "]:" + port + "/" + protocol
          : vip + ":" + port + "/" + protocol;
    }
  }

  private record FwmarkClaim(long fwmark, IpFamily family) implements Claim {
    @Override
    public String toString() {
      return "fwmark " + fwmark + " (" + family + ")";
    }
  }

  private final Map<VirtualServiceKey, Problem> problems = new TreeMap<>();

  /**
   * @param requests oldest first
   * @param vips the VIP of every port service that has one
   */
  Conflicts(List<ServiceRequest> requests, Map<VirtualServiceKey, IpAddress> vips) {
    Map<Claim, ServiceRequest> holders = new HashMap<>();
    Map<IpAddress, ServiceRequest> vipPools = new HashMap<>();
    for (ServiceRequest request : requests) {
      IpAddress vip = vips.get(request.key());
      if (!request.isFwmark() && vip == null) {
        continue;
      }
      Problem problem = firstConflict(request, vip, holders, vipPools);
      if (problem != null) {
        problems.put(request.key(), problem);
        continue;
      }
      claims(request, vip).forEach(claim -> holders.put(claim, request));
      if (vip != null) {
        vipPools.putIfAbsent(vip, request);
      }
    }
  }

  /** The Conflict of every VirtualService that lost a claim. */
  Map<VirtualServiceKey, Problem> problems() {
    return problems;
  }

  private static Problem firstConflict(
      ServiceRequest request,
      IpAddress vip,
      Map<Claim, ServiceRequest> holders,
      Map<IpAddress, ServiceRequest> vipPools) {
    if (vip != null) {
      ServiceRequest owner = vipPools.get(vip);
      if (owner != null && !owner.pool().name().equals(request.pool().name())) {
        return Problem.conflict(
            "VipInOtherPool",
            "VIP "
                + vip
                + " is used by VirtualService "
                + owner.key()
                + " in DirectorPool "
                + owner.pool().name()
                + ", which is older; a VIP belongs to one pool");
      }
    }
    for (Claim claim : claims(request, vip)) {
      ServiceRequest holder = holders.get(claim);
      if (holder != null) {
        return Problem.conflict(
            "VipPortInUse",
            claim + " is held by VirtualService " + holder.key() + ", which is older");
      }
    }
    return null;
  }

  private static List<Claim> claims(ServiceRequest request, IpAddress vip) {
    if (request.isFwmark()) {
      return List.of(new FwmarkClaim(request.spec().fwmark(), request.family()));
    }
    return request.ports().stream()
        .<Claim>map((ServicePort p) -> new PortClaim(vip, p.port(), ServiceValidation.protocol(p)))
        .toList();
  }
}
