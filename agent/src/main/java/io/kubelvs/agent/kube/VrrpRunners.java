package io.kubelvs.agent.kube;

import io.kubelvs.agent.netlink.CidrAddress;
import io.kubelvs.agent.vrrp.VrrpInstanceConfig;
import io.kubelvs.agent.vrrp.VrrpRunnerConfig;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The VRRP instances of one interface and address family as one {@link VrrpRunnerConfig}: they
 * share a raw socket, so they must share the multicast group and the VRRPv2 password, and are told
 * apart by VRID alone, as in keepalived.
 */
final class VrrpRunners {
  private VrrpRunners() {}

  /**
   * One instance as mapped, with what its runner must agree on.
   *
   * @param path the instance's path in the spec
   * @param group its multicastGroup; empty for the default group
   */
  record Member(
      String path,
      String interfaceName,
      StandardProtocolFamily family,
      Optional<InetAddress> group,
      Optional<String> password,
      List<CidrAddress> vips,
      VrrpInstanceConfig config) {}

  /** The instances of one interface and family: one socket, one group, one password. */
  static Optional<VrrpRunnerConfig> runner(List<Member> instances, SpecProblems problems) {
    Member first = instances.get(0);
    int before = problems.count();
    Optional<InetAddress> group = Optional.empty();
    Member groupSetBy = null;
    Map<Integer, Member> vrids = new HashMap<>();
    for (Member other : instances) {
      Member sameVrid = vrids.putIfAbsent(other.config().vrid(), other);
      if (sameVrid != null) {
        problems.add(
            other.path() + ".vrid",
            other.config().vrid()
                + " is also the VRID of "
                + sameVrid.path()
                + " on "
                + first.interfaceName()
                + "; adverts are told apart by VRID");
      }
      if (!other.password().equals(first.password())) {
        problems.add(
            other.path() + ".authentication",
            "instances on "
                + first.interfaceName()
                + " share one socket and must share the password; "
                + first.path()
                + " has another");
      }
      if (other.config().unicast()) {
        continue;
      }
      if (groupSetBy == null) {
        group = other.group();
        groupSetBy = other;
      } else if (!other.group().equals(group)) {
        problems.add(
            other.path() + ".multicastGroup",
            "instances on "
                + first.interfaceName()
                + " share one socket and must share the multicast group; "
                + groupSetBy.path()
                + " has "
                + group.map(InetAddress::getHostAddress).orElse("the default"));
      }
    }
    if (problems.count() > before) {
      return Optional.empty();
    }
    List<CidrAddress> vips = new ArrayList<>();
    instances.forEach(i -> vips.addAll(i.vips()));
    InetAddress runnerGroup = group.orElse(null);
    return problems.read(
        "spec.vrrpInstances on " + first.interfaceName(),
        () ->
            new VrrpRunnerConfig(
                first.interfaceName(),
                first.family(),
                runnerGroup,
                first.password(),
                vips,
                instances.stream().map(Member::config).toList()));
  }
}
