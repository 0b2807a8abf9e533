package io.kubelvs.agent.kube;

import io.kubelvs.agent.config.NodeConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Director's spec as the engine runs it, with what the status writer needs to speak the spec's
 * names again.
 *
 * @param config what the engine applies
 * @param virtualServerIdsByName the engine's id of each virtual server ({@code
 *     service.key().toString()}, e.g. {@code 172.16.53.50:80/TCP}) by its {@code
 *     spec.virtualServers[].name}, in spec order: the engine reports by id, {@code
 *     DirectorStatus.virtualServers[].name} is the spec's name
 * @param interfacesByInstance the interface each VRRP instance runs on, by instance name (instance
 *     names are the same in the spec and the engine); where a selector gave a CIDR, the one this
 *     node resolved it to
 */
public record MappedDirector(
    NodeConfig config,
    Map<String, String> virtualServerIdsByName,
    Map<String, String> interfacesByInstance) {

  public MappedDirector {
    Objects.requireNonNull(config, "config");
    // Copies that keep the spec's order, for a status written in that order.
    virtualServerIdsByName =
        Collections.unmodifiableMap(new LinkedHashMap<>(virtualServerIdsByName));
    interfacesByInstance = Collections.unmodifiableMap(new LinkedHashMap<>(interfacesByInstance));
  }

  /** The spec's name of the virtual server the engine calls {@code id}. */
  public Optional<String> virtualServerName(String id) {
    return virtualServerIdsByName.entrySet().stream()
        .filter(entry -> entry.getValue().equals(id))
        .map(Map.Entry::getKey)
        .findFirst();
  }
}
