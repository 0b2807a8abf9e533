package io.kubelvs.operator.status;

import io.kubelvs.api.v1alpha1.Condition;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import io.kubelvs.api.v1alpha1.DirectorStatus;
import io.kubelvs.api.v1alpha1.VirtualServer;
import io.kubelvs.api.v1alpha1.VirtualServerStatus;
import io.kubelvs.api.v1alpha1.VrrpInstance;
import io.kubelvs.api.v1alpha1.VrrpInstanceStatus;
import io.kubelvs.operator.plan.VirtualServiceKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Director as the status fold reads it: the spec the operator wrote, the generation of that
 * spec, and what the node's agent reported (null before it reported anything).
 *
 * <p>Indexed once by VirtualService, virtual server and instance name: every VirtualService's fold
 * looks into every Director of its pool, and a Director can carry thousands of virtual servers.
 */
public final class DirectorView {
  private final String node;
  private final long generation;
  private final DirectorSpec spec;
  private final DirectorStatus status;
  private final Optional<Instant> silentSince;
  private final Map<VirtualServiceKey, List<VirtualServer>> serversByOwner = new HashMap<>();
  private final Map<String, VrrpInstance> instances = new HashMap<>();
  private final Map<String, VrrpInstanceStatus> instanceStatuses = new HashMap<>();
  private final Map<String, VirtualServerStatus> serverStatuses = new HashMap<>();

  public DirectorView(String node, long generation, DirectorSpec spec, DirectorStatus status) {
    this(node, generation, spec, status, Optional.empty());
  }

  /**
   * @param silentSince when the node's agent last renewed its heartbeat Lease, if that has run out:
   *     then its status is nobody's any more and the view holds none
   */
  public DirectorView(
      String node,
      long generation,
      DirectorSpec spec,
      DirectorStatus status,
      Optional<Instant> silentSince) {
    this.node = node;
    this.generation = generation;
    this.spec = spec;
    this.silentSince = silentSince;
    this.status = silentSince.isPresent() ? null : status;
    if (spec != null) {
      for (VirtualServer v : spec.allVirtualServers()) {
        if (v.owner() != null) {
          serversByOwner
              .computeIfAbsent(
                  new VirtualServiceKey(v.owner().namespace(), v.owner().name()),
                  k -> new ArrayList<>())
              .add(v);
        }
      }
      nullToEmpty(spec.vrrpInstances()).forEach(i -> instances.putIfAbsent(i.name(), i));
    }
    if (this.status != null) {
      nullToEmpty(this.status.instances()).forEach(i -> instanceStatuses.putIfAbsent(i.name(), i));
      nullToEmpty(this.status.virtualServers())
          .forEach(v -> serverStatuses.putIfAbsent(v.name(), v));
    }
  }

  public static DirectorView of(Director director) {
    return of(director, Optional.empty());
  }

  /** The Director as read, or as nobody's any more when its agent went silent. */
  public static DirectorView of(Director director, Optional<Instant> silentSince) {
    Long generation = director.getMetadata().getGeneration();
    return new DirectorView(
        director.getMetadata().getName(),
        generation == null ? 0 : generation,
        director.getSpec(),
        director.getStatus(),
        silentSince);
  }

  /** When the node's agent last renewed its Lease, if that ran out. */
  public Optional<Instant> silentSince() {
    return silentSince;
  }

  public String node() {
    return node;
  }

  public long generation() {
    return generation;
  }

  public DirectorSpec spec() {
    return spec;
  }

  public DirectorStatus status() {
    return status;
  }

  public String pool() {
    return spec == null ? null : spec.poolName();
  }

  /** The agent runs the current spec: observedGeneration is the generation, and Applied holds. */
  public boolean appliedCurrent() {
    return status != null
        && status.observedGeneration() != null
        && status.observedGeneration() == generation
        && holds("Applied");
  }

  public boolean holds(String conditionType) {
    return condition(conditionType)
        .map(c -> c.status() == Condition.ConditionStatus.True)
        .orElse(false);
  }

  public Optional<Condition> condition(String type) {
    return nullToEmpty(status == null ? null : status.conditions()).stream()
        .filter(c -> type.equals(c.type()))
        .findFirst();
  }

  /** The instance's state as the agent reports it, if it does. */
  public Optional<VrrpInstanceStatus> instanceStatus(String name) {
    return Optional.ofNullable(instanceStatuses.get(name));
  }

  public Optional<VrrpInstance> instance(String name) {
    return Optional.ofNullable(instances.get(name));
  }

  /** The virtual servers the spec has for {@code key}, in spec order. */
  public List<VirtualServer> virtualServersOf(VirtualServiceKey key) {
    return serversByOwner.getOrDefault(key, List.of());
  }

  public Optional<VirtualServerStatus> virtualServerStatus(String name) {
    return Optional.ofNullable(serverStatuses.get(name));
  }

  static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
