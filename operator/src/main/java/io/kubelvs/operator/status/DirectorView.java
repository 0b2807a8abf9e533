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
import java.util.List;
import java.util.Optional;

/**
 * One Director as the status fold reads it: the spec the operator wrote, the generation of that
 * spec, and what the node's agent reported (null before it reported anything).
 */
public record DirectorView(String node, long generation, DirectorSpec spec, DirectorStatus status) {

  public static DirectorView of(Director director) {
    Long generation = director.getMetadata().getGeneration();
    return new DirectorView(
        director.getMetadata().getName(),
        generation == null ? 0 : generation,
        director.getSpec(),
        director.getStatus());
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
    return nullToEmpty(status == null ? null : status.instances()).stream()
        .filter(i -> name.equals(i.name()))
        .findFirst();
  }

  public Optional<VrrpInstance> instance(String name) {
    return nullToEmpty(spec == null ? null : spec.vrrpInstances()).stream()
        .filter(i -> name.equals(i.name()))
        .findFirst();
  }

  /** The virtual servers the spec has for {@code key}, in spec order. */
  public List<VirtualServer> virtualServersOf(VirtualServiceKey key) {
    return nullToEmpty(spec == null ? null : spec.virtualServers()).stream()
        .filter(
            v ->
                v.owner() != null
                    && key.namespace().equals(v.owner().namespace())
                    && key.name().equals(v.owner().name()))
        .toList();
  }

  public Optional<VirtualServerStatus> virtualServerStatus(String name) {
    return nullToEmpty(status == null ? null : status.virtualServers()).stream()
        .filter(v -> name.equals(v.name()))
        .findFirst();
  }

  static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
