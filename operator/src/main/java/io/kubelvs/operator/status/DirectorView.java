package io.kubelvs.operator.status;

import io.kubelvs.api.v1alpha1.Condition;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorSpec;
import io.kubelvs.api.v1alpha1.DirectorStatus;
import io.kubelvs.api.v1alpha1.VirtualServer;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
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
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.ToLongBiFunction;
import java.util.function.ToLongFunction;

/**
 * One Director as the status fold reads it: the spec the operator wrote (with the servers of the
 * VirtualServerSets its instances name), the generation of that spec, and what the node's agent
 * reported (null before it reported anything).
 *
 * <p>Indexed once by VirtualService, virtual server and instance name: every VirtualService's fold
 * looks into every Director of its pool, and a Director can carry thousands of virtual servers.
 */
public final class DirectorView {
  private final String node;
  private final long generation;
  private final DirectorSpec spec;
  private final DirectorStatus status;
  private final ToLongFunction<VirtualServiceKey> changedAt;
  private final ToLongBiFunction<String, VirtualServiceKey> setChangedAt;

  /** The sets holding each service's servers (by identity: a set's equals reads all of it). */
  private final Map<VirtualServiceKey, List<VirtualServerSet>> setsByOwner = new HashMap<>();

  private final Map<String, Long> setsApplied = new HashMap<>();
  private final Optional<Instant> silentSince;

  /** Whether the agent says Applied: asked for every service the Director carries. */
  private final boolean applied;

  private final Map<VirtualServiceKey, List<VirtualServer>> serversByOwner = new HashMap<>();
  private final Map<String, VrrpInstance> instances = new HashMap<>();
  private final Map<String, VrrpInstanceStatus> instanceStatuses = new HashMap<>();
  private final Map<String, VirtualServerStatus> serverStatuses = new HashMap<>();

  public DirectorView(String node, long generation, DirectorSpec spec, DirectorStatus status) {
    this(node, generation, spec, status, Optional.empty(), key -> generation);
  }

  public DirectorView(
      String node,
      long generation,
      DirectorSpec spec,
      DirectorStatus status,
      Optional<Instant> silentSince,
      ToLongFunction<VirtualServiceKey> changedAt) {
    this(node, generation, spec, status, silentSince, changedAt, Map.of(), (set, key) -> 0);
  }

  /**
   * @param silentSince when the node's agent last renewed its heartbeat Lease, if that has run out:
   *     then its status is nobody's any more and the view holds none
   * @param changedAt the Director generation in which a service's entries last changed
   * @param sets the VirtualServerSets by name, whose servers the Director's instances run
   * @param setChangedAt the generation of a set in which a service's entries last changed
   */
  public DirectorView(
      String node,
      long generation,
      DirectorSpec spec,
      DirectorStatus status,
      Optional<Instant> silentSince,
      ToLongFunction<VirtualServiceKey> changedAt,
      Map<String, VirtualServerSet> sets,
      ToLongBiFunction<String, VirtualServiceKey> setChangedAt) {
    this.node = node;
    this.changedAt = changedAt;
    this.setChangedAt = setChangedAt;
    this.generation = generation;
    this.spec = spec;
    this.silentSince = silentSince;
    this.status = silentSince.isPresent() ? null : status;
    if (spec != null) {
      spec.allVirtualServers().forEach(v -> index(v, null));
      for (VrrpInstance i : nullToEmpty(spec.vrrpInstances())) {
        instances.putIfAbsent(i.name(), i);
        VirtualServerSet set =
            i.virtualServerSet() == null ? null : sets.get(i.virtualServerSet().name());
        if (set != null && set.getSpec() != null) {
          nullToEmpty(set.getSpec().virtualServers()).forEach(v -> index(v, set));
        }
      }
    }
    if (this.status != null) {
      nullToEmpty(this.status.virtualServerSets())
          .forEach(r -> setsApplied.putIfAbsent(r.name(), r.generation()));
    }
    this.applied = holds("Applied");
    if (this.status != null) {
      nullToEmpty(this.status.instances()).forEach(i -> instanceStatuses.putIfAbsent(i.name(), i));
      nullToEmpty(this.status.virtualServers())
          .forEach(v -> serverStatuses.putIfAbsent(v.name(), v));
    }
  }

  /** A virtual server the Director runs, from its spec or from the set named. */
  private void index(VirtualServer v, VirtualServerSet set) {
    if (v.owner() == null) {
      return;
    }
    VirtualServiceKey key = new VirtualServiceKey(v.owner().namespace(), v.owner().name());
    serversByOwner.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
    if (set != null) {
      List<VirtualServerSet> holding = setsByOwner.computeIfAbsent(key, k -> new ArrayList<>(1));
      if (!containsSame(holding, set)) {
        holding.add(set);
      }
    }
  }

  /**
   * The Director as read, or as nobody's any more when its agent went silent.
   *
   * @param sets the VirtualServerSets by name
   * @param changedAt the generation of the Director, and of each set, in which each
   *     VirtualService's entries last changed, where the operator knows it
   */
  public static DirectorView of(
      Director director,
      Map<String, VirtualServerSet> sets,
      Optional<Instant> silentSince,
      ChangedAt changedAt) {
    Long read = director.getMetadata().getGeneration();
    long generation = read == null ? 0 : read;
    String name = director.getMetadata().getName();
    return new DirectorView(
        name,
        generation,
        director.getSpec(),
        director.getStatus(),
        silentSince,
        key -> changedAt.generation(name, key).orElse(generation),
        sets,
        (set, key) ->
            changedAt
                .setGeneration(set, key)
                .orElse(
                    Optional.ofNullable(sets.get(set).getMetadata().getGeneration()).orElse(0L)));
  }

  /**
   * Where it is known, the generation of a Director or a set in which a service's entries last
   * changed.
   */
  public interface ChangedAt {
    OptionalLong generation(String director, VirtualServiceKey key);

    OptionalLong setGeneration(String set, VirtualServiceKey key);

    /** A number that changes whenever an answer of the two others may have changed. */
    long version();
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
        && applied;
  }

  /**
   * The agent runs the service's entries as they are now: Applied holds at a generation no older
   * than the one in which they last changed, and the agent runs each VirtualServerSet holding them
   * at a generation no older than the one in which they last changed there. A Director or set
   * rewritten for other services leaves this one programmed; where the operator does not know when
   * they changed (it restarted since), the current generation counts.
   */
  public boolean appliedFor(VirtualServiceKey key) {
    return status != null
        && status.observedGeneration() != null
        && status.observedGeneration() >= changedAt.applyAsLong(key)
        && applied
        && setsByOwner.getOrDefault(key, List.of()).stream()
            .map(set -> set.getMetadata().getName())
            .allMatch(
                set -> setsApplied.getOrDefault(set, 0L) >= setChangedAt.applyAsLong(set, key));
  }

  /**
   * Whether this view reads the same as {@code other} for the service: built from the very same
   * Director spec, status and sets holding the service (the informers replace an object when it
   * changes, so identity is enough), with the same silence. {@link #appliedFor} may still differ:
   * it also depends on when this operator last wrote the service.
   */
  public boolean sameFor(DirectorView other, VirtualServiceKey key) {
    if (spec != other.spec
        || status != other.status
        || generation != other.generation
        || !node.equals(other.node)
        || !silentSince.equals(other.silentSince)) {
      return false;
    }
    List<VirtualServerSet> mine = setsByOwner.getOrDefault(key, List.of());
    List<VirtualServerSet> theirs = other.setsByOwner.getOrDefault(key, List.of());
    if (mine.size() != theirs.size()) {
      return false;
    }
    for (VirtualServerSet set : mine) {
      if (!containsSame(theirs, set)) {
        return false;
      }
    }
    return true;
  }

  private static boolean containsSame(List<VirtualServerSet> sets, VirtualServerSet set) {
    for (VirtualServerSet s : sets) {
      if (s == set) {
        return true;
      }
    }
    return false;
  }

  /** The services this Director carries, through its spec or its sets. */
  public Set<VirtualServiceKey> services() {
    return serversByOwner.keySet();
  }

  private boolean holds(String conditionType) {
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
