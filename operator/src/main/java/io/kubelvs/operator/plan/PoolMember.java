package io.kubelvs.operator.plan;

import io.kubelvs.api.v1alpha1.IpFamily;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** A director node of a pool: its name, InternalIPs by family, and whether it is Ready. */
record PoolMember(String name, List<IpAddress> addresses, boolean ready) {

  static PoolMember of(NodeFacts node) {
    List<IpAddress> addresses =
        node.internalIps().stream()
            .flatMap(
                ip -> {
                  try {
                    return Stream.of(IpAddress.parse(ip));
                  } catch (IllegalArgumentException notAnAddress) {
                    return Stream.empty();
                  }
                })
            .toList();
    return new PoolMember(node.name(), addresses, node.ready());
  }

  /** The node's first InternalIP of {@code family}: its unicast peer address for that family. */
  Optional<IpAddress> address(IpFamily family) {
    return addresses.stream().filter(a -> a.family() == family).findFirst();
  }
}
