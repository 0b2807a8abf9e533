package io.kubelvs.agent.convert;

import io.kubelvs.agent.config.ConfNode;
import io.kubelvs.agent.config.KeepalivedConf;
import io.kubelvs.agent.config.VrrpConfig;
import io.kubelvs.agent.netlink.CidrAddress;
import io.kubelvs.agent.vrrp.VrrpInstanceConfig;
import io.kubelvs.agent.vrrp.VrrpRunnerConfig;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The VRRP instances of a file, each with what the agent's reader made of it and where it was
 * written, in file order.
 */
final class VrrpInstances {

  /** One vrrp_instance: its runner (interface, group, password), its settings, its block. */
  record Instance(VrrpRunnerConfig runner, VrrpInstanceConfig config, ConfNode node) {

    String name() {
      return config.name();
    }

    /** The child with {@code keyword} if written, else the instance's own statement. */
    ConfNode at(String keyword) {
      return node.children(keyword).stream().findFirst().orElse(node);
    }
  }

  /** A VIP, the instance that holds it and the virtual_ipaddress line it was written on. */
  record Vip(InetAddress address, Instance instance, ConfNode line) {}

  private VrrpInstances() {}

  static List<Instance> of(VrrpConfig vrrp, KeepalivedConf conf) {
    List<ConfNode> nodes = conf.statements("vrrp_instance");
    Map<String, ConfNode> byName = new LinkedHashMap<>();
    nodes.forEach(n -> byName.putIfAbsent(n.args().get(0), n));
    List<Instance> instances = new ArrayList<>();
    for (VrrpRunnerConfig runner : vrrp.runners()) {
      for (VrrpInstanceConfig config : runner.instances()) {
        instances.add(new Instance(runner, config, byName.get(config.name())));
      }
    }
    instances.sort(Comparator.comparingInt(i -> nodes.indexOf(i.node())));
    return List.copyOf(instances);
  }

  /** Every VIP of every instance, by address, the first instance winning. */
  static Map<InetAddress, Vip> vips(List<Instance> instances) {
    Map<InetAddress, Vip> vips = new LinkedHashMap<>();
    for (Instance instance : instances) {
      for (InetAddress address : instance.config().virtualAddresses()) {
        vips.putIfAbsent(
            address, new Vip(address, instance, line(instance, address).orElse(instance.node())));
      }
    }
    return vips;
  }

  private static Optional<ConfNode> line(Instance instance, InetAddress address) {
    for (ConfNode block : instance.node().children("virtual_ipaddress")) {
      for (ConfNode line : block.children()) {
        try {
          if (CidrAddress.parse(line.keyword()).address().equals(address)) {
            return Optional.of(line);
          }
        } catch (IllegalArgumentException notThisOne) {
          // the reader accepted the block, so some line holds the address
        }
      }
    }
    return Optional.empty();
  }
}
