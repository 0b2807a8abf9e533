package io.kubelvs.operator.plan;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.kubelvs.api.v1alpha1.BackendsFrom;
import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.DirectorPoolSpec;
import io.kubelvs.api.v1alpha1.ForwardingMethod;
import io.kubelvs.api.v1alpha1.InterfaceSelector;
import io.kubelvs.api.v1alpha1.IpFamily;
import io.kubelvs.api.v1alpha1.Protocol;
import io.kubelvs.api.v1alpha1.RealServer;
import io.kubelvs.api.v1alpha1.ServicePort;
import io.kubelvs.api.v1alpha1.VirtualService;
import io.kubelvs.api.v1alpha1.VirtualServiceSpec;
import io.kubelvs.api.v1alpha1.VridRange;
import io.kubelvs.api.v1alpha1.VrrpPriorities;
import io.kubelvs.api.v1alpha1.VrrpSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builders for the planner's inputs, with the defaults a test does not care about. */
final class Fixtures {

  static final String POOL_LABEL = "kubelvs.io/pool";
  static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");

  private Fixtures() {}

  static PoolBuilder pool(String name) {
    return new PoolBuilder(name);
  }

  static ServiceBuilder service(String namespace, String name) {
    return new ServiceBuilder(namespace, name);
  }

  /** A Ready node of {@code pool} with one InternalIP. */
  static NodeFacts node(String name, String pool, String address) {
    return new NodeFacts(name, Map.of(POOL_LABEL, pool), List.of(address), true);
  }

  static NodeFacts notReady(NodeFacts node) {
    return new NodeFacts(node.name(), node.labels(), node.internalIps(), false);
  }

  static String at(int seconds) {
    return EPOCH.plusSeconds(seconds).toString();
  }

  static final class PoolBuilder {
    private final String name;
    private String created = at(0);
    private int version = 3;
    private int firstVrid = 1;
    private int lastVrid = 255;
    private Integer maxVips;
    private boolean unicast;
    private Integer highest;
    private Integer step;
    private List<String> ranges = List.of("198.18.0.0/24");

    private PoolBuilder(String name) {
      this.name = name;
    }

    PoolBuilder created(String timestamp) {
      this.created = timestamp;
      return this;
    }

    PoolBuilder version(int version) {
      this.version = version;
      return this;
    }

    PoolBuilder vrids(int first, int last) {
      this.firstVrid = first;
      this.lastVrid = last;
      return this;
    }

    PoolBuilder maxVipsPerInstance(int max) {
      this.maxVips = max;
      return this;
    }

    PoolBuilder unicast() {
      this.unicast = true;
      return this;
    }

    PoolBuilder priorities(int highest, int step) {
      this.highest = highest;
      this.step = step;
      return this;
    }

    PoolBuilder ranges(String... ranges) {
      this.ranges = List.of(ranges);
      return this;
    }

    DirectorPool build() {
      DirectorPool pool = new DirectorPool();
      pool.setMetadata(meta(null, name, created));
      LabelSelector selector = new LabelSelector();
      selector.setMatchLabels(Map.of(POOL_LABEL, name));
      pool.setSpec(
          new DirectorPoolSpec(
              selector,
              new InterfaceSelector("eth0", null),
              new VrrpSettings(
                  version,
                  "1s",
                  "224.0.0.18",
                  null,
                  unicast,
                  new VridRange(firstVrid, lastVrid),
                  null,
                  null,
                  null,
                  highest == null ? null : new VrrpPriorities(highest, step),
                  maxVips,
                  null),
              ranges,
              null));
      return pool;
    }
  }

  static final class ServiceBuilder {
    private final String namespace;
    private final String name;
    private String created = at(0);
    private String pool = "a";
    private String vip;
    private IpFamily family;
    private final List<ServicePort> ports = new ArrayList<>();
    private Long fwmark;
    private final List<RealServer> realServers = new ArrayList<>();
    private BackendsFrom backendsFrom;
    private String preferredNode;
    private ForwardingMethod forwarding;

    private ServiceBuilder(String namespace, String name) {
      this.namespace = namespace;
      this.name = name;
    }

    ServiceBuilder created(String timestamp) {
      this.created = timestamp;
      return this;
    }

    ServiceBuilder pool(String pool) {
      this.pool = pool;
      return this;
    }

    ServiceBuilder vip(String vip) {
      this.vip = vip;
      return this;
    }

    ServiceBuilder family(IpFamily family) {
      this.family = family;
      return this;
    }

    ServiceBuilder port(int port) {
      return port(port, Protocol.TCP, null);
    }

    ServiceBuilder port(int port, Protocol protocol, Integer targetPort) {
      ports.add(new ServicePort(null, port, protocol, targetPort));
      return this;
    }

    ServiceBuilder fwmark(long mark) {
      this.fwmark = mark;
      return this;
    }

    ServiceBuilder realServer(String address) {
      realServers.add(new RealServer(address, null, null, null, null, null));
      return this;
    }

    ServiceBuilder backendsFrom(String service, String portName) {
      this.backendsFrom = new BackendsFrom(service, portName, null);
      return this;
    }

    ServiceBuilder preferredNode(String node) {
      this.preferredNode = node;
      return this;
    }

    ServiceBuilder forwarding(ForwardingMethod forwarding) {
      this.forwarding = forwarding;
      return this;
    }

    VirtualService build() {
      VirtualService vs = new VirtualService();
      vs.setMetadata(meta(namespace, name, created));
      vs.getMetadata().setGeneration(1L);
      if (ports.isEmpty() && fwmark == null) {
        ports.add(new ServicePort(null, 80, Protocol.TCP, null));
      }
      if (realServers.isEmpty() && backendsFrom == null) {
        realServers.add(new RealServer("198.18.1.1", null, null, null, null, null));
      }
      vs.setSpec(
          new VirtualServiceSpec(
              pool,
              vip,
              family,
              ports.isEmpty() ? null : List.copyOf(ports),
              fwmark,
              null,
              null,
              forwarding,
              null,
              null,
              null,
              List.copyOf(realServers),
              backendsFrom,
              null,
              null,
              null,
              null,
              null,
              null,
              preferredNode));
      return vs;
    }
  }

  private static ObjectMeta meta(String namespace, String name, String created) {
    ObjectMeta meta = new ObjectMeta();
    meta.setNamespace(namespace);
    meta.setName(name);
    meta.setCreationTimestamp(created);
    return meta;
  }
}
