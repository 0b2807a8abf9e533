package io.kubelvs.agent.kube;

import io.kubelvs.agent.config.NodeConfig;
import io.kubelvs.api.v1alpha1.Director;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a Director's spec into the engine's configuration. The agent's loop ({@link
 * DirectorFollower}) depends on this seam only, so its tests can map with something simpler.
 */
@FunctionalInterface
public interface SpecMapping {

  /**
   * @param director a Director whose VirtualServerSets are resolved ({@link DirectorSets})
   * @param origins which of its servers came from a set, for the paths of problems
   * @param secrets the values of the Secrets the spec refers to (VRRP auth)
   * @throws Refused naming everything wrong with the spec
   */
  Mapped map(Director director, SetOrigins origins, SecretReader secrets) throws Refused;

  /**
   * The mapping the agent runs: {@link DirectorSpecs}, with the node's interfaces read from the
   * kernel for the selectors that give a CIDR.
   */
  static SpecMapping directorSpecs() {
    return (director, origins, secrets) -> {
      try (NetlinkInterfaceResolver interfaces = NetlinkInterfaceResolver.open()) {
        MappedDirector mapped = DirectorSpecs.map(director, origins, secrets, interfaces);
        Map<String, String> namesById = new HashMap<>();
        mapped.virtualServerIdsByName().forEach((name, id) -> namesById.put(id, name));
        return new Mapped(mapped.config(), namesById);
      } catch (DirectorSpecException e) {
        throw new Refused(e.getMessage());
      }
    };
  }

  /**
   * @param config what the engine runs
   * @param namesById each virtual server's name in the spec, by the engine's id for it
   */
  record Mapped(NodeConfig config, Map<String, String> namesById) {
    public Mapped {
      Objects.requireNonNull(config, "config");
      namesById = Map.copyOf(namesById);
    }
  }

  /** The spec cannot run; the message names each problem with its path. */
  final class Refused extends Exception {
    public Refused(String message) {
      super(message);
    }
  }
}
