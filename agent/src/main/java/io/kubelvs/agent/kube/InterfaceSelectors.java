package io.kubelvs.agent.kube;

import io.kubelvs.agent.netlink.CidrAddress;
import io.kubelvs.api.v1alpha1.InterfaceSelector;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The interface of a VRRP instance, by the name its {@link InterfaceSelector} gives, or as the one
 * interface of this node with an address in its CIDR (for pools whose nodes name their interfaces
 * differently). A CIDR is resolved once per mapping, as a pool's instances share the selector.
 */
final class InterfaceSelectors {
  private final InterfaceResolver interfaces;
  private final SpecProblems problems;
  private final Map<String, Optional<String>> resolved = new HashMap<>();

  InterfaceSelectors(InterfaceResolver interfaces, SpecProblems problems) {
    this.interfaces = interfaces;
    this.problems = problems;
  }

  /**
   * The interface {@code selector} selects; empty, with a problem at {@code path} the first time,
   * when it selects none or several.
   */
  Optional<String> name(String path, InterfaceSelector selector) {
    if (selector == null) {
      problems.add(path, "missing");
      return Optional.empty();
    }
    if ((selector.name() == null) == (selector.cidr() == null)) {
      problems.add(path, "set exactly one of name or cidr");
      return Optional.empty();
    }
    if (selector.name() != null) {
      return Optional.of(selector.name());
    }
    String text = selector.cidr();
    if (!text.contains("/")) {
      problems.add(path + ".cidr", "\"" + text + "\" has no prefix length");
      return Optional.empty();
    }
    Optional<CidrAddress> cidr = problems.read(path + ".cidr", () -> ApiValues.cidr(text));
    if (cidr.isEmpty()) {
      return Optional.empty();
    }
    if (resolved.containsKey(text)) {
      // A pool's instances share the selector: resolve and refuse it once.
      return resolved.get(text);
    }
    List<String> found =
        List.copyOf(new LinkedHashSet<>(interfaces.interfacesWithAddressIn(cidr.get())));
    Optional<String> name = Optional.empty();
    if (found.isEmpty()) {
      problems.add(path + ".cidr", "no interface of this node has an address in " + cidr.get());
    } else if (found.size() > 1) {
      problems.add(
          path + ".cidr",
          "interfaces "
              + String.join(", ", found)
              + " all have an address in "
              + cidr.get()
              + "; the selector must find one");
    } else {
      name = Optional.of(found.get(0));
    }
    resolved.put(text, name);
    return name;
  }
}
