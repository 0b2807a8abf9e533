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
 * per port), or one for its firewall mark.
 *
 * <p>A setting at its default is left out (the agent reads a missing one as its default), and so is
 * the address family of a service on a VIP (the VIP says it): every node's Director carries every
 * virtual server of its pool, so these bytes are paid once per service and node, on every write of
 * the Director and on every watch event of it. The scheduler is always written: the Director's
 * schema requires it.
 */
final class VirtualServers {

  /** The virtual servers, and notes on their real servers. */
  record Built(List<VirtualServer> servers, List<String> notes) {}

  private VirtualServers() {}

  /**
   * @param vip null for a firewall-mark service
   */
  static Built of(ServiceRequest request, IpAddress vip, Backends backends) {
    List<VirtualServer> servers = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    if (request.isFwmark()) {
      Backends.Resolved real = backends.resolve(request, null);
      servers.add(server(request, "fwmark-" + request.spec().fwmark(), null, null, real));
      notes.addAll(real.notes());
    } else {
      for (ServicePort port : request.ports()) {
        Backends.Resolved real = backends.resolve(request, port);
        Protocol protocol = ServiceValidation.protocol(port);
        String suffix = port.port() + "-" + protocol.name().toLowerCase(Locale.ROOT);
        servers.add(server(request, suffix, vip, port, real));
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
      Backends.Resolved real) {
    VirtualServiceSpec spec = request.spec();
    return new VirtualServer(
        request.key() + "/" + suffix,
        new VirtualServiceRef(
            request.key().namespace(), request.key().name(), request.generation()),
        vip == null ? null : vip.toString(),
        port == null ? null : port.port(),
        port == null ? null : ServiceValidation.protocol(port),
        spec.fwmark(),
        vip == null ? request.family() : null,
        spec.scheduler() == null ? Scheduler.WEIGHTED_LEAST_CONNECTION : spec.scheduler(),
        spec.schedulerFlags(),
        spec.tunnel(),
        spec.persistence(),
        unlessDefault(spec.onePacketScheduling(), false),
        real.realServers(),
        spec.healthCheck(),
        unlessDefault(spec.quorum(), 1L),
        unlessDefault(spec.hysteresis(), 0L),
        spec.sorryServer(),
        unlessDefault(spec.omega(), false),
        unlessDefault(spec.inhibitOnFailure(), false));
  }

  private static <T> T unlessDefault(T value, T defaultValue) {
    return defaultValue.equals(value) ? null : value;
  }
}
