package io.kubelvs.agent.kube;

import io.kubelvs.agent.observe.DirectorStatus;
import io.kubelvs.api.v1alpha1.Condition;
import io.kubelvs.api.v1alpha1.Condition.ConditionStatus;
import io.kubelvs.api.v1alpha1.IpvsStats;
import io.kubelvs.api.v1alpha1.RealServerHealth;
import io.kubelvs.api.v1alpha1.VirtualServerSetRef;
import io.kubelvs.api.v1alpha1.VirtualServerStatus;
import io.kubelvs.api.v1alpha1.VrrpInstanceStatus;
import io.kubelvs.api.v1alpha1.VrrpState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns what the agent observes ({@link DirectorStatus}, the facts {@code /status} serves) into the
 * Director's status: per VRRP instance its state and since when, per virtual server (by its name in
 * the spec) the health of each real server and the kernel's counters, and the conditions.
 *
 * <p>Conditions: {@code Applied} (the spec of the object's generation runs), {@code Invalid} (that
 * spec was refused, with the reason), {@code Degraded} (something the agent runs is not as the spec
 * asks: an instance in FAULT, a virtual server below its quorum, an IPVS reconcile that failed, a
 * source that cannot be read) and {@code Ready} (applied, valid and not degraded). A condition's
 * lastTransitionTime moves only when its status does, as Kubernetes conventions ask.
 */
public final class DirectorStatusBuilder {
  static final String APPLIED = "Applied";
  static final String INVALID = "Invalid";
  static final String DEGRADED = "Degraded";
  static final String READY = "Ready";

  private DirectorStatusBuilder() {}

  /**
   * What the agent has applied and refused, for the status.
   *
   * @param generation the generation of the Director whose spec runs; empty before any ran (or when
   *     the one running came from the node's disk with no generation known)
   * @param namesById each virtual server's name in the spec, by the engine's id for it
   * @param refused the generation and reason of the latest spec seen, if it was refused (a spec
   *     applied after it clears it)
   * @param sets the generation that runs of each VirtualServerSet the Director names, by name
   */
  public record Applied(
      Optional<Long> generation,
      Map<String, String> namesById,
      Optional<Refusal> refused,
      Map<String, Long> sets) {
    public static final Applied NOTHING =
        new Applied(Optional.empty(), Map.of(), Optional.empty(), Map.of());

    public Applied {
      Objects.requireNonNull(generation, "generation");
      namesById = Map.copyOf(namesById);
      Objects.requireNonNull(refused, "refused");
      sets = Map.copyOf(sets);
    }

    /** What runs, naming no VirtualServerSet (a Director whose servers are all its own). */
    public Applied(
        Optional<Long> generation, Map<String, String> namesById, Optional<Refusal> refused) {
      this(generation, namesById, refused, Map.of());
    }
  }

  /** A spec the agent refused: its generation and why, as the validation said it. */
  public record Refusal(long generation, String message) {}

  /**
   * The status to write.
   *
   * @param generation the Director's metadata.generation now
   * @param previous the status written last (its conditions keep their transition times), or null
   */
  public static io.kubelvs.api.v1alpha1.DirectorStatus build(
      DirectorStatus facts,
      Applied applied,
      long generation,
      io.kubelvs.api.v1alpha1.DirectorStatus previous,
      Instant now) {
    List<VrrpInstanceStatus> instances = new ArrayList<>();
    List<String> masterOf = new ArrayList<>();
    for (DirectorStatus.VrrpInstance i : facts.vrrpInstances()) {
      VrrpState state = state(i.state());
      if (state == VrrpState.MASTER) {
        masterOf.add(i.name());
      }
      instances.add(
          new VrrpInstanceStatus(
              i.name(),
              state,
              i.since(),
              i.priority(),
              null,
              state == VrrpState.FAULT ? i.reason() : null));
    }
    List<VirtualServerStatus> virtualServers = new ArrayList<>();
    for (DirectorStatus.VirtualServer vs : facts.virtualServers()) {
      virtualServers.add(virtualServer(vs, applied.namesById().getOrDefault(vs.id(), vs.id())));
    }
    List<Condition> conditions =
        conditions(
            facts, applied, generation, previous == null ? null : previous.conditions(), now);
    List<VirtualServerSetRef> sets =
        new TreeMap<>(applied.sets())
            .entrySet().stream()
                .map(e -> new VirtualServerSetRef(e.getKey(), e.getValue()))
                .toList();
    return new io.kubelvs.api.v1alpha1.DirectorStatus(
        applied.generation().orElse(null),
        sets.isEmpty() ? null : sets,
        instances.size(),
        String.join(",", masterOf),
        instances,
        virtualServers,
        conditions);
  }

  private static VrrpState state(String state) {
    try {
      return VrrpState.valueOf(state);
    } catch (IllegalArgumentException e) {
      return VrrpState.INIT;
    }
  }

  private static VirtualServerStatus virtualServer(DirectorStatus.VirtualServer vs, String name) {
    List<RealServerHealth> realServers = new ArrayList<>();
    for (DirectorStatus.RealServer rs : vs.realServers()) {
      int colon = rs.address().lastIndexOf(':');
      String host = rs.address().substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      realServers.add(
          new RealServerHealth(
              host,
              Integer.parseInt(rs.address().substring(colon + 1)),
              rs.up(),
              rs.weight(),
              rs.up() ? null : rs.lastResult(),
              rs.since()));
    }
    IpvsStats stats = null;
    if (vs.kernel() != null) {
      DirectorStatus.IpvsCounters c = vs.kernel().stats();
      stats =
          new IpvsStats(
              c.connections(),
              c.inPackets(),
              c.outPackets(),
              c.inBytes(),
              c.outBytes(),
              null,
              null,
              null,
              null,
              null);
    }
    return new VirtualServerStatus(name, realServers, vs.sorryServerActive(), vs.quorumUp(), stats);
  }

  private static List<Condition> conditions(
      DirectorStatus facts,
      Applied applied,
      long generation,
      List<Condition> previous,
      Instant now) {
    Conditions out = new Conditions(previous, generation, now);
    boolean current = applied.generation().map(g -> g == generation).orElse(false);
    Optional<Refusal> refusal = applied.refused();
    if (refusal.isPresent()) {
      out.set(INVALID, true, "SpecRefused", refusal.get().message());
    } else {
      out.set(INVALID, false, "SpecAccepted", "the spec was accepted");
    }
    if (current) {
      out.set(APPLIED, true, "Applied", "generation " + generation + " runs");
    } else if (refusal.isPresent()) {
      out.set(
          APPLIED,
          false,
          "SpecRefused",
          applied
              .generation()
              .map(g -> "generation " + g + " runs; generation " + generation + " was refused")
              .orElse("generation " + generation + " was refused"));
    } else {
      out.set(APPLIED, false, "Pending", "generation " + generation + " is not applied yet");
    }
    List<String> degraded = degradedReasons(facts);
    if (degraded.isEmpty()) {
      out.set(DEGRADED, false, "AsExpected", "every instance and virtual server runs as specified");
    } else {
      out.set(
          DEGRADED, true, degraded.get(0), String.join("; ", degraded.subList(1, degraded.size())));
    }
    boolean ready = current && refusal.isEmpty() && degraded.isEmpty();
    out.set(
        READY,
        ready,
        ready
            ? "Ready"
            : !current ? "NotApplied" : refusal.isPresent() ? "SpecRefused" : "Degraded",
        ready ? "the director runs its spec" : "see the Applied, Invalid and Degraded conditions");
    return out.list();
  }

  /** The first element is the reason (CamelCase), the rest the messages. */
  private static List<String> degradedReasons(DirectorStatus facts) {
    List<String> reasons = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    for (DirectorStatus.VrrpInstance i : facts.vrrpInstances()) {
      if (i.state().equals("FAULT")) {
        reasons.add("InstanceFault");
        messages.add("VRRP instance " + i.name() + " is in FAULT: " + i.reason());
      }
    }
    for (DirectorStatus.VirtualServer vs : facts.virtualServers()) {
      if (!vs.quorumUp()) {
        reasons.add("QuorumLost");
        messages.add(
            "virtual server "
                + vs.id()
                + " is below its quorum (healthy weight "
                + vs.healthyWeight()
                + " < "
                + vs.quorum()
                + ")");
      }
    }
    if (facts.reconcileFailure() != null) {
      reasons.add("ReconcileFailed");
      messages.add("the IPVS table could not be made as specified: " + facts.reconcileFailure());
    }
    for (DirectorStatus.Source source : facts.sources()) {
      if (!source.ok()) {
        reasons.add("SourceUnreadable");
        messages.add("cannot read " + source.name() + ": " + source.lastError());
      }
    }
    if (reasons.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    out.add(reasons.get(0));
    out.addAll(messages);
    return out;
  }

  /** Conditions in a fixed order, keeping the previous transition time of an unchanged status. */
  private static final class Conditions {
    private final List<Condition> previous;
    private final long generation;
    private final Instant now;
    private final List<Condition> list = new ArrayList<>();

    Conditions(List<Condition> previous, long generation, Instant now) {
      this.previous = previous == null ? List.of() : previous;
      this.generation = generation;
      this.now = now;
    }

    void set(String type, boolean holds, String reason, String message) {
      ConditionStatus status = holds ? ConditionStatus.True : ConditionStatus.False;
      String since =
          previous.stream()
              .filter(c -> c.type().equals(type) && c.status() == status)
              .map(Condition::lastTransitionTime)
              .findFirst()
              .orElse(now.toString());
      list.add(new Condition(type, status, generation, since, reason, message));
    }

    List<Condition> list() {
      return List.copyOf(list);
    }
  }
}
