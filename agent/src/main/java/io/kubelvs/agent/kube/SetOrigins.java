package io.kubelvs.agent.kube;

import io.kubelvs.api.v1alpha1.VirtualServer;
import io.kubelvs.api.v1alpha1.VrrpInstance;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Where the virtual servers of a resolved Director's VRRP instances came from ({@link
 * DirectorSets}): of an instance that named a VirtualServerSet, the first {@code inline} are the
 * Director's own, the rest the set's. The mapping reports a problem in one of the set's servers at
 * the set's path ({@code VirtualServerSet seed.99 spec.virtualServers[web/seed/80-tcp].vip}), where
 * the operator has to look for it, not at a place in the Director that does not hold it.
 *
 * @param byInstance the origin of each instance that named a set, by instance name
 */
public record SetOrigins(Map<String, Origin> byInstance) {
  /** A Director whose servers are all its own. */
  public static final SetOrigins NONE = new SetOrigins(Map.of());

  /**
   * @param set the VirtualServerSet's name
   * @param generation the set's {@code metadata.generation} that was resolved
   * @param inline how many of the instance's virtual servers precede the set's: its own
   */
  public record Origin(String set, long generation, int inline) {
    public Origin {
      Objects.requireNonNull(set, "set");
    }

    /** The path of the set's list of virtual servers, as problems name it. */
    String path() {
      return "VirtualServerSet " + set + " spec.virtualServers";
    }
  }

  /** A run of an instance's virtual servers that one list in the API holds, at {@code path}. */
  record Part(String path, List<VirtualServer> virtualServers) {}

  public SetOrigins {
    byInstance = Map.copyOf(byInstance);
  }

  /**
   * The virtual servers of {@code instance} by the list that holds them: the instance's own at
   * {@code path}, then those of its set, if it named one.
   */
  List<Part> parts(VrrpInstance instance, String path) {
    List<VirtualServer> all = instance.virtualServers();
    Optional<Origin> origin = Optional.ofNullable(byInstance.get(instance.name()));
    if (origin.isEmpty() || origin.get().inline() > all.size()) {
      return List.of(new Part(path, all));
    }
    int inline = origin.get().inline();
    return List.of(
        new Part(path, all.subList(0, inline)),
        new Part(origin.get().path(), all.subList(inline, all.size())));
  }

  /** The generation of each set resolved, by the set's name: what the status reports. */
  Map<String, Long> generations() {
    Map<String, Long> generations = new TreeMap<>();
    byInstance.values().forEach(origin -> generations.put(origin.set(), origin.generation()));
    return generations;
  }

  /** The sets resolved, for a log line: {@code seed.99@3,seed.100@1}; {@code none} without. */
  String describe() {
    if (byInstance.isEmpty()) {
      return "none";
    }
    return new TreeMap<>(byInstance)
        .values().stream()
            .map(origin -> origin.set() + "@" + origin.generation())
            .collect(Collectors.joining(","));
  }
}
