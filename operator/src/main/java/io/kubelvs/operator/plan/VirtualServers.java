package io.kubelvs.operator.plan;

import io.kubelvs.api.v1alpha1.Protocol;
import io.kubelvs.api.v1alpha1.Scheduler;
import io.kubelvs.api.v1alpha1.ServicePort;
import io.kubelvs.api.v1alpha1.VirtualServer;
import io.kubelvs.api.v1alpha1.VirtualServiceRef;
import io.kubelvs.api.v1alpha1.VirtualServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The IPVS virtual servers of one VirtualService: one per port (keepalived's {@code virtual_server}
 * per port), or one for its firewall mark, with the CRD's defaults filled in.
 */
final class VirtualServers {

  /** The virtual servers, and notes on their real servers. */
  record Built(List<VirtualServer> servers, List<String> notes) {}

  private VirtualServers() {}

  /**
   * @param vip null for a firewall-mark service
   * @param instance the VRRP instance carrying the VIP; null for a firewall-mark service
   */
  static Built of(ServiceRequest request, IpAddress vip, String instance, Backends backends) {
    List<VirtualServer> servers = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    if (request.isFwmark()) {
      Backends.Resolved real = backends.resolve(request, null);
      servers.add(server(request, "fwmark-" + request.spec().fwmark(), null, null, instance, real));
      notes.addAll(real.notes());
    } else {
      for (ServicePort port : request.ports()) {
        Backends.Resolved real = backends.resolve(request, port);
        Protocol protocol = ServiceValidation.protocol(port);
        String suffix = port.port() + "-" + protocol.name().toLowerCase(Locale.ROOT);
        servers.add(server(request, suffix, vip, port, instance, real));
        real.notes().stream().filter(n -> !notes.contains(n)).forEach(notes::add);
      }
    }
    return new Built(servers, notes);
  }

  private static VirtualServer server(
      ServiceRequest request,
      String suffix,
      IpAddress vip,
      ServicePort port,
      String instance,
      Backends.Resolved real) {
    VirtualServiceSpec spec = request.spec();
    return new VirtualServer(
        request.key() + "/" + suffix,
        new VirtualServiceRef(
            request.key().namespace(), request.key().name(), request.generation()),
        instance,
        vip == null ? null : vip.toString(),
        port == null ? null : port.port(),
        port == null ? null : ServiceValidation.protocol(port),
        spec.fwmark(),
        request.family(),
        spec.scheduler() == null ? Scheduler.WEIGHTED_LEAST_CONNECTION : spec.scheduler(),
        spec.schedulerFlags(),
        spec.tunnel(),
        spec.persistence(),
        spec.onePacketScheduling() == null ? false : spec.onePacketScheduling(),
        real.realServers(),
        spec.healthCheck(),
        spec.quorum() == null ? 1L : spec.quorum(),
        spec.hysteresis() == null ? 0L : spec.hysteresis(),
        spec.sorryServer(),
        spec.omega() == null ? false : spec.omega(),
        spec.inhibitOnFailure() == null ? false : spec.inhibitOnFailure());
  }
}
