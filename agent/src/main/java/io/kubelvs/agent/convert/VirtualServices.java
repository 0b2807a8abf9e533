package io.kubelvs.agent.convert;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubelvs.agent.check.RealServerCheck;
import io.kubelvs.agent.check.VirtualServerChecks;
import io.kubelvs.agent.config.ConfNode;
import io.kubelvs.agent.config.KeepalivedConfException;
import io.kubelvs.agent.config.VirtualServerConfig;
import io.kubelvs.agent.convert.VrrpInstances.Vip;
import io.kubelvs.agent.ipvs.AddressFamily;
import io.kubelvs.agent.ipvs.IpvsProtocol;
import io.kubelvs.agent.ipvs.IpvsService;
import io.kubelvs.agent.ipvs.ServiceFlags;
import io.kubelvs.agent.ipvs.ServiceKey;
import io.kubelvs.api.v1alpha1.ForwardingMethod;
import io.kubelvs.api.v1alpha1.IpFamily;
import io.kubelvs.api.v1alpha1.Persistence;
import io.kubelvs.api.v1alpha1.Protocol;
import io.kubelvs.api.v1alpha1.RealServer;
import io.kubelvs.api.v1alpha1.Scheduler;
import io.kubelvs.api.v1alpha1.SchedulerFlag;
import io.kubelvs.api.v1alpha1.ServicePort;
import io.kubelvs.api.v1alpha1.SorryServer;
import io.kubelvs.api.v1alpha1.VirtualService;
import io.kubelvs.api.v1alpha1.VirtualServiceSpec;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * One virtual_server as one VirtualService, named after its pool, address and port. What keepalived
 * sets per real server (the checker, inhibit_on_failure) the API sets per service: the first real
 * server's settings are the service's, and each real server that differs gets a note.
 */
final class VirtualServices {
  private final String poolName;
  private final String namespace;
  private final Map<InetAddress, Vip> vips;
  private final int highestPriority;

  /**
   * @param vips the VRRP instances' VIPs, by address
   * @param highestPriority the pool's priorities.highest; 0 without instances
   */
  VirtualServices(
      String poolName, String namespace, Map<InetAddress, Vip> vips, int highestPriority) {
    this.poolName = poolName;
    this.namespace = namespace;
    this.vips = vips;
    this.highestPriority = highestPriority;
  }

  /**
   * @param written the virtual_server block as written, for the keywords the agent's reader does
   *     not take (scheduler flags, thresholds)
   * @param notes where notes on this service are added
   */
  VirtualService convert(VirtualServerConfig vs, ConfNode written, List<ConversionNote> notes)
      throws KeepalivedConfException {
    IpvsService service = vs.service();
    VirtualServerChecks checks = vs.checks();
    String vip = null;
    IpFamily family = null;
    List<ServicePort> ports = null;
    Long fwmark = null;
    if (service.key() instanceof ServiceKey.Address address) {
      vip = address.address().getHostAddress();
      ports =
          List.of(
              new ServicePort(
                  null, address.port(), Protocol.valueOf(address.protocol().name()), null));
      vrrpNotes(address.address(), written, notes);
    } else if (service.key() instanceof ServiceKey.Fwmark mark) {
      fwmark = mark.mark();
      family = mark.family() == AddressFamily.INET6 ? IpFamily.IPv6 : null;
    }
    Scheduler scheduler =
        Serialization.jsonMapper().convertValue(service.scheduler(), Scheduler.class);
    RealServerCheck first = checks.realServers().isEmpty() ? null : checks.realServers().get(0);
    List<RealServer> realServers = realServers(checks, written, notes);
    VirtualService resource = new VirtualService();
    resource.setMetadata(
        new ObjectMetaBuilder().withName(name(service.key())).withNamespace(namespace).build());
    resource.setSpec(
        new VirtualServiceSpec(
            poolName,
            vip,
            family,
            ports,
            fwmark,
            scheduler,
            schedulerFlags(service.scheduler(), written, notes),
            ForwardingMethod.valueOf(vs.forwarding().name()),
            null,
            persistence(service),
            (service.flags() & ServiceFlags.ONE_PACKET) != 0 ? Boolean.TRUE : null,
            realServers,
            null,
            first == null ? null : HealthChecks.of(checks.realServers(), written, notes),
            checks.quorum() == VirtualServerChecks.DEFAULT_QUORUM ? null : (long) checks.quorum(),
            hysteresis(checks, written, notes),
            checks
                .sorryServer()
                .map(
                    s ->
                        new SorryServer(
                            s.address().getAddress().getHostAddress(),
                            s.address().getPort(),
                            null,
                            s.inhibit() ? Boolean.TRUE : null))
                .orElse(null),
            checks.omega() ? Boolean.TRUE : null,
            first != null && first.inhibitOnFailure() ? Boolean.TRUE : null,
            null));
    return resource;
  }

  /** {@code seed-172-16-53-50-80}, {@code seed-2001-db8--50-53-udp}, {@code seed-fwmark-7}. */
  private String name(ServiceKey key) {
    String name;
    if (key instanceof ServiceKey.Address address) {
      name =
          poolName
              + "-"
              + address.address().getHostAddress().replaceAll("[.:%]", "-")
              + "-"
              + address.port();
      if (address.protocol() != IpvsProtocol.TCP) {
        name += "-" + address.protocol().name().toLowerCase(Locale.ROOT);
      }
    } else {
      ServiceKey.Fwmark mark = (ServiceKey.Fwmark) key;
      name =
          poolName
              + "-fwmark-"
              + mark.mark()
              + (mark.family() == AddressFamily.INET6 ? "-ipv6" : "");
    }
    return name.toLowerCase(Locale.ROOT);
  }

  /** What the VRRP instance holding the VIP said about this director's role. */
  private void vrrpNotes(InetAddress address, ConfNode written, List<ConversionNote> notes) {
    Vip vip = vips.get(address);
    if (vip == null) {
      notes.add(
          ConversionNote.at(
              written,
              address.getHostAddress()
                  + " is no vrrp_instance's VIP, but the pool's directors will hold it by VRRP"));
      return;
    }
    int priority = vip.instance().config().priority();
    if (priority < highestPriority) {
      notes.add(
          ConversionNote.at(
              vip.instance().at("priority"),
              priority
                  + " of vrrp_instance "
                  + vip.instance().name()
                  + ": this director was a backup of "
                  + address.getHostAddress()
                  + "; to keep its master where it was, set preferredNode to the director"
                  + " that had it at "
                  + highestPriority));
    } else if (vips.values().stream()
        .anyMatch(v -> v.instance().config().priority() < highestPriority)) {
      notes.add(
          ConversionNote.at(
              vip.instance().at("priority"),
              priority
                  + " of vrrp_instance "
                  + vip.instance().name()
                  + ": this director was the master of "
                  + address.getHostAddress()
                  + "; to keep it so, set preferredNode to its node name"));
    }
  }

  private static List<RealServer> realServers(
      VirtualServerChecks checks, ConfNode written, List<ConversionNote> notes)
      throws KeepalivedConfException {
    List<ConfNode> blocks = written.children("real_server");
    if (blocks.size() != checks.realServers().size()) {
      throw new IllegalStateException(
          "read " + checks.realServers().size() + " of " + blocks.size() + " real servers");
    }
    List<RealServer> realServers = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      RealServerCheck server = checks.realServers().get(i);
      ConfNode block = blocks.get(i);
      realServers.add(
          new RealServer(
              server.realServer().getAddress().getHostAddress(),
              server.realServer().getPort(),
              server.weight(),
              null,
              threshold(block, "uthreshold"),
              threshold(block, "lthreshold")));
      if (server.inhibitOnFailure() != checks.realServers().get(0).inhibitOnFailure()) {
        notes.add(
            ConversionNote.at(
                block.children("inhibit_on_failure").stream().findFirst().orElse(block),
                "inhibit_on_failure is set for the whole VirtualService in the API: it takes the"
                    + " first real server's"));
      }
    }
    return realServers;
  }

  private static Integer threshold(ConfNode realServer, String keyword)
      throws KeepalivedConfException {
    OptionalInt value = realServer.optionalInt(keyword, 0, Integer.MAX_VALUE);
    return value.isPresent() ? value.getAsInt() : null;
  }

  private static List<SchedulerFlag> schedulerFlags(
      String scheduler, ConfNode written, List<ConversionNote> notes) {
    List<SchedulerFlag> flags = new ArrayList<>();
    for (ConfNode child : written.children()) {
      if (!UnconvertedKeywords.CONVERTED_FROM_THE_FILE
          .get("virtual_server")
          .contains(child.keyword())) {
        continue;
      }
      String prefix = child.keyword().substring(0, 3);
      if ((prefix.equals("sh-") || prefix.equals("mh-")) && !prefix.startsWith(scheduler)) {
        notes.add(
            ConversionNote.at(
                child, "applies to lb_algo " + prefix.substring(0, 2) + " only: not converted"));
        continue;
      }
      flags.add(Serialization.jsonMapper().convertValue(child.keyword(), SchedulerFlag.class));
    }
    return flags.isEmpty() ? null : flags;
  }

  private static Persistence persistence(IpvsService service) {
    if (!service.persistent()) {
      return null;
    }
    String netmask = null;
    if (service.netmask() != IpvsService.defaultNetmask(service.key().family())) {
      int mask = service.netmask();
      netmask =
          service.key().family() == AddressFamily.INET6
              ? Integer.toString(mask)
              : (mask >>> 24)
                  + "."
                  + (mask >>> 16 & 0xff)
                  + "."
                  + (mask >>> 8 & 0xff)
                  + "."
                  + (mask & 0xff);
    }
    return new Persistence(service.persistenceTimeoutSeconds() + "s", netmask);
  }

  private static Long hysteresis(
      VirtualServerChecks checks, ConfNode written, List<ConversionNote> notes) {
    if (checks.hysteresis() == VirtualServerChecks.DEFAULT_HYSTERESIS) {
      return null;
    }
    if (checks.hysteresis() >= checks.quorum()) {
      notes.add(
          ConversionNote.at(
              written.children("hysteresis").get(0),
              checks.hysteresis()
                  + " is not below quorum "
                  + checks.quorum()
                  + ", as the API requires: not converted"));
      return null;
    }
    return (long) checks.hysteresis();
  }
}
