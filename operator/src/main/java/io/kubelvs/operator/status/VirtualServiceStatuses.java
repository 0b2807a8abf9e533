package io.kubelvs.operator.status;

import io.kubelvs.api.v1alpha1.DirectorState;
import io.kubelvs.api.v1alpha1.VirtualServer;
import io.kubelvs.api.v1alpha1.VirtualService;
import io.kubelvs.api.v1alpha1.VirtualServiceStatus;
import io.kubelvs.api.v1alpha1.VrrpInstance;
import io.kubelvs.api.v1alpha1.VrrpInstanceStatus;
import io.kubelvs.api.v1alpha1.VrrpState;
import io.kubelvs.operator.plan.Problem;
import io.kubelvs.operator.plan.VirtualServiceKey;
import io.kubelvs.operator.plan.VirtualServiceOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Folds what the planner decided for a VirtualService and what every director reports about it into
 * its status: the planned VIP, instance and VRID; the node that really is master (what the agents
 * report, not what the plan hopes); each director's view; the real servers' health as the master's
 * checkers see it; and the conditions.
 *
 * <p>Conditions, in this order: {@code Ready} (programmed, exactly one master, a healthy real
 * server or the sorry server; its reason is the STATUS column of {@code kubectl get vs}), {@code
 * Programmed} (every director of the service runs the Director spec planned from this generation),
 * {@code Degraded} (split brain, no master, an instance in FAULT, real servers down), {@code
 * Conflict} (an older VirtualService holds the VIP:port), {@code Invalid}.
 *
 * <p>Under split brain {@code masterNode} names every node that claims it, comma-separated, so the
 * MASTER column shows it too.
 */
public final class VirtualServiceStatuses {
  static final String READY = "Ready";
  static final String PROGRAMMED = "Programmed";
  static final String DEGRADED = "Degraded";
  static final String CONFLICT = "Conflict";
  static final String INVALID = "Invalid";

  private VirtualServiceStatuses() {}

  /**
   * @param directors every Director (those of other pools and services are ignored)
   */
  public static VirtualServiceStatus fold(
      VirtualService vs,
      VirtualServiceOutcome outcome,
      Collection<DirectorView> directors,
      Instant now) {
    VirtualServiceKey key = outcome.key();
    return foldCarried(
        vs,
        outcome,
        directors.stream()
            .filter(d -> !d.virtualServersOf(key).isEmpty())
            .sorted(Comparator.comparing(DirectorView::node))
            .toList(),
        now);
  }

  /**
   * @param mine the Directors that carry the service, by node name
   */
  static VirtualServiceStatus foldCarried(
      VirtualService vs, VirtualServiceOutcome outcome, List<DirectorView> mine, Instant now) {
    long generation = generation(vs);
    ConditionList conditions =
        new ConditionList(
            vs.getStatus() == null ? null : vs.getStatus().conditions(), generation, now);
    if (outcome instanceof VirtualServiceOutcome.Rejected rejected) {
      rejectedConditions(rejected.problem(), conditions);
      return new VirtualServiceStatus(
          generation,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          conditions.list());
    }
    VirtualServiceOutcome.Planned planned = (VirtualServiceOutcome.Planned) outcome;
    Observed seen = Observed.of(planned, mine, generation);
    Backends backends = seen.backends();
    List<String> masters = seen.masters();
    List<String> faults = seen.faults();
    boolean programmed = seen.programmed();
    ready(conditions, planned, seen);
    programmed(conditions, seen, generation);
    degraded(conditions, planned, programmed, masters, faults, seen.silent(), backends);
    conditions.set(CONFLICT, false, "NoConflict", "the service holds its VIP, ports and protocol");
    conditions.set(INVALID, false, "Valid", "the spec is valid");

    return new VirtualServiceStatus(
        generation,
        planned.vip(),
        planned.instance(),
        planned.vrid(),
        masters.isEmpty() ? null : String.join(",", masters),
        backends.ready() + "/" + backends.total(),
        backends.ready(),
        backends.total(),
        backends.sorryServerActive(),
        seen.states(),
        backends.health().isEmpty() ? null : backends.health(),
        conditions.list());
  }

  /** The service's directors, as they report: who is master, who lags, who is in FAULT. */
  private record Observed(
      List<DirectorView> mine,
      List<String> masters,
      List<DirectorState> states,
      List<String> pending,
      List<String> faults,
      List<String> silent,
      Backends backends) {

    static Observed of(
        VirtualServiceOutcome.Planned planned, List<DirectorView> mine, long generation) {
      VirtualServiceKey key = planned.key();
      List<String> masters =
          planned.instance() == null ? List.of() : SplitBrain.masters(planned.instance(), mine);
      List<DirectorState> states = new ArrayList<>();
      List<String> pending = new ArrayList<>();
      List<String> faults = new ArrayList<>();
      List<String> silent = new ArrayList<>();
      for (DirectorView d : mine) {
        DirectorState state = directorState(d, key, planned.instance(), generation);
        states.add(state);
        if (d.silentSince().isPresent()) {
          // Nothing to wait for: its agent is gone; the others decide.
          silent.add(d.node() + " (since " + d.silentSince().get() + ")");
        } else if (!state.programmed()) {
          pending.add(d.node());
        }
        if (state.state() == VrrpState.FAULT) {
          faults.add(d.node() + (state.message() == null ? "" : " (" + state.message() + ")"));
        }
      }
      Backends backends = Backends.of(key, mine, masters.size() == 1 ? masters.get(0) : null);
      return new Observed(mine, masters, states, pending, faults, silent, backends);
    }

    boolean programmed() {
      return !mine.isEmpty() && pending.isEmpty() && silent.size() < mine.size();
    }
  }

  private static void ready(
      ConditionList conditions, VirtualServiceOutcome.Planned planned, Observed seen) {
    List<String> masters = seen.masters();
    if (seen.mine().isEmpty()) {
      conditions.set(
          READY, false, "NoDirectors", "no director node carries the service yet" + notes(planned));
    } else if (!seen.programmed()) {
      conditions.set(
          READY, false, "NotProgrammed", "waiting for " + String.join(", ", seen.pending()));
    } else if (masters.size() > 1) {
      conditions.set(READY, false, "SplitBrain", SplitBrain.message(planned.instance(), masters));
    } else if (masters.isEmpty() && planned.instance() != null) {
      conditions.set(
          READY, false, "NoMaster", "no director reports MASTER of " + planned.instance());
    } else if (seen.backends().ready() == 0 && !seen.backends().sorryServerActive()) {
      conditions.set(
          READY, false, "NoHealthyBackends", "no real server passes its check" + notes(planned));
    } else {
      conditions.set(READY, true, "Ready", "the VIP is served" + notes(planned));
    }
  }

  private static void programmed(ConditionList conditions, Observed seen, long generation) {
    if (seen.mine().isEmpty()) {
      conditions.set(PROGRAMMED, false, "NoDirectors", "the pool has no director node");
    } else if (seen.programmed() && !seen.silent().isEmpty()) {
      conditions.set(
          PROGRAMMED,
          true,
          "Programmed",
          "every reporting director ("
              + (seen.mine().size() - seen.silent().size())
              + " of "
              + seen.mine().size()
              + ") applied generation "
              + generation
              + "; agent silent on "
              + String.join(", ", seen.silent()));
    } else if (seen.programmed()) {
      conditions.set(
          PROGRAMMED,
          true,
          "Programmed",
          "every director (" + seen.mine().size() + ") applied generation " + generation);
    } else {
      conditions.set(
          PROGRAMMED,
          false,
          "Pending",
          "generation "
              + generation
              + " is not applied yet on "
              + String.join(", ", seen.pending()));
    }
  }

  private static void rejectedConditions(Problem problem, ConditionList conditions) {
    String notPlanned = "the service is on no director: " + problem.message();
    conditions.set(READY, false, problem.reason(), notPlanned);
    conditions.set(PROGRAMMED, false, problem.reason(), notPlanned);
    conditions.set(DEGRADED, false, "NotPlanned", "the service is on no director");
    if (problem.kind() == Problem.Kind.CONFLICT) {
      conditions.set(CONFLICT, true, problem.reason(), problem.message());
    } else {
      conditions.set(CONFLICT, false, "NoConflict", "no other service holds its VIP and ports");
    }
    if (problem.kind() == Problem.Kind.INVALID) {
      conditions.set(INVALID, true, problem.reason(), problem.message());
    } else {
      conditions.set(INVALID, false, "Valid", "the spec is valid");
    }
  }

  private static void degraded(
      ConditionList conditions,
      VirtualServiceOutcome.Planned planned,
      boolean programmed,
      List<String> masters,
      List<String> faults,
      List<String> silent,
      Backends backends) {
    if (masters.size() > 1) {
      conditions.set(DEGRADED, true, "SplitBrain", SplitBrain.message(planned.instance(), masters));
    } else if (programmed && masters.isEmpty() && planned.instance() != null) {
      conditions.set(
          DEGRADED, true, "NoMaster", "no director reports MASTER of " + planned.instance());
    } else if (!silent.isEmpty()) {
      conditions.set(
          DEGRADED,
          true,
          "AgentSilent",
          "the agent's heartbeat Lease ran out on " + String.join(", ", silent));
    } else if (!faults.isEmpty()) {
      conditions.set(DEGRADED, true, "InstanceFault", "in FAULT on " + String.join(", ", faults));
    } else if (backends.ready() < backends.total() && !backends.health().isEmpty()) {
      conditions.set(
          DEGRADED,
          true,
          "BackendsDown",
          (backends.total() - backends.ready())
              + " of "
              + backends.total()
              + " real servers fail their check: "
              + backends.down());
    } else {
      conditions.set(DEGRADED, false, "AsExpected", "every director and real server is as planned");
    }
  }

  private static DirectorState directorState(
      DirectorView d, VirtualServiceKey key, String instance, long generation) {
    List<VirtualServer> servers = d.virtualServersOf(key);
    boolean planFromThisGeneration =
        servers.stream()
            .allMatch(v -> v.owner().generation() != null && v.owner().generation() == generation);
    Optional<VrrpInstanceStatus> observed =
        instance == null ? Optional.empty() : d.instanceStatus(instance);
    Integer priority =
        instance == null ? null : d.instance(instance).map(VrrpInstance::priority).orElse(null);
    int total = 0;
    int healthy = 0;
    for (VirtualServer server : servers) {
      total += DirectorView.nullToEmpty(server.realServers()).size();
      healthy +=
          d.virtualServerStatus(server.name())
              .map(
                  s ->
                      (int)
                          DirectorView.nullToEmpty(s.realServers()).stream()
                              .filter(r -> Boolean.TRUE.equals(r.healthy()))
                              .count())
              .orElse(0);
    }
    String message =
        d.condition(INVALID)
            .filter(c -> c.status() == io.kubelvs.api.v1alpha1.Condition.ConditionStatus.True)
            .map(c -> c.message())
            .orElse(observed.map(VrrpInstanceStatus::message).orElse(null));
    if (d.silentSince().isPresent()) {
      message = "agent silent: its heartbeat Lease was last renewed " + d.silentSince().get();
    }
    return new DirectorState(
        d.node(),
        observed.map(VrrpInstanceStatus::state).orElse(null),
        priority,
        planFromThisGeneration && d.appliedFor(key),
        d.status() == null ? null : healthy + "/" + total,
        message);
  }

  private static String notes(VirtualServiceOutcome.Planned planned) {
    return planned.notes().isEmpty() ? "" : "; " + String.join("; ", planned.notes());
  }

  private static long generation(VirtualService vs) {
    Long generation = vs.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }
}
