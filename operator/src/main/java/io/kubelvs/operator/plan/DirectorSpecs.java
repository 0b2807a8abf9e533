package io.kubelvs.operator.plan;

import io.kubelvs.api.v1alpha1.DirectorSpec;
import io.kubelvs.api.v1alpha1.IpFamily;
import io.kubelvs.api.v1alpha1.VirtualServer;
import io.kubelvs.api.v1alpha1.VrrpInstance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Director spec of one node of a pool: every instance of the pool with this node's priority
 * (each node runs every instance, as backup where it is not preferred master) and every virtual
 * server of the pool (a backup must be ready to serve the moment it becomes master).
 */
final class DirectorSpecs {

  private DirectorSpecs() {}

  /**
   * @param instances by virtual router id
   * @param servers each instance's by its name, sorted by name; those on no instance (firewall
   *     marks) under null
   */
  static DirectorSpec of(
      PoolSettings pool,
      PoolMember node,
      List<PoolMember> members,
      List<PlannedInstance> instances,
      Map<String, List<VirtualServer>> servers) {
    List<VrrpInstance> vrrp = new ArrayList<>();
    for (PlannedInstance instance : instances) {
      vrrp.add(
          new VrrpInstance(
              instance.name(),
              pool.networkInterface(),
              instance.vrid(),
              pool.priority(instance.rank(node.name())),
              pool.version(),
              pool.advertInterval(),
              pool.unicast() ? null : multicastGroup(pool, instance.family()),
              pool.unicast() ? peers(node, members, instance.family()) : null,
              pool.authentication(),
              pool.preempt(),
              pool.preemptDelay(),
              pool.gratuitousArp(),
              instance.vips().stream().map(IpAddress::toString).toList(),
              servers.getOrDefault(instance.name(), List.of()),
              null));
    }
    return new DirectorSpec(
        node.name(), pool.name(), vrrp, servers.getOrDefault(null, List.of()), pool.notification());
  }

  private static String multicastGroup(PoolSettings pool, IpFamily family) {
    return family == IpFamily.IPv4 ? pool.multicastGroup() : pool.multicastGroup6();
  }

  /**
   * The other nodes' InternalIPs of the instance's family, by node name. Not-Ready nodes stay
   * peers: their agents may well be running, and dropping them would split the instance.
   */
  private static List<String> peers(PoolMember self, List<PoolMember> members, IpFamily family) {
    return members.stream()
        .filter(m -> !m.name().equals(self.name()))
        .sorted(Comparator.comparing(PoolMember::name))
        .map(m -> m.address(family))
        .flatMap(Optional::stream)
        .map(IpAddress::toString)
        .toList();
  }
}
