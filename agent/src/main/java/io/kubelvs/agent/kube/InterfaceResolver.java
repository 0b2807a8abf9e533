package io.kubelvs.agent.kube;

import io.kubelvs.agent.netlink.CidrAddress;
import java.util.List;

/**
 * Finds the node's interfaces for an {@code InterfaceSelector} given by CIDR (the pool's interface
 * for nodes whose interface names differ). An interface, so that the mapping stays a pure function;
 * {@link NetlinkInterfaceResolver} asks the kernel.
 */
@FunctionalInterface
public interface InterfaceResolver {

  /**
   * The names of the interfaces that have an address inside {@code cidr}, each once, in the
   * kernel's order. The mapping refuses none and more than one.
   *
   * @throws io.kubelvs.agent.netlink.NetlinkException when the node's interfaces cannot be read:
   *     that is no fault of the Director, so the mapping lets it through for the caller to retry
   */
  List<String> interfacesWithAddressIn(CidrAddress cidr);

  /** For nodes that select interfaces by name only: no interface matches any CIDR. */
  InterfaceResolver NONE = cidr -> List.of();
}
