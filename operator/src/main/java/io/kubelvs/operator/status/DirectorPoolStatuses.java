package io.kubelvs.operator.status;

import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.DirectorPoolStatus;
import io.kubelvs.api.v1alpha1.PoolNode;
import io.kubelvs.api.v1alpha1.VipAllocation;
import io.kubelvs.operator.plan.PoolOutcome;
import io.kubelvs.operator.plan.Problem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Folds the planner's outcome for a pool and its Directors' status into the pool's status: its
 * nodes (ready when the Node is Ready and its agent runs the current Director spec), the VIP
 * allocations (also the planner's memory, see {@code plan.Allocations}) and the conditions {@code
 * Ready}, {@code Degraded} (split brain of an instance, a node not running its spec), {@code
 * Exhausted} and {@code Invalid}.
 */
public final class DirectorPoolStatuses {
  private DirectorPoolStatuses() {}

  /**
   * @param directors every Director (those of other pools are ignored)
   */
  public static DirectorPoolStatus fold(
      DirectorPool pool, PoolOutcome outcome, Collection<DirectorView> directors, Instant now) {
    Long gen = pool.getMetadata().getGeneration();
    long generation = gen == null ? 0 : gen;
    String name = pool.getMetadata().getName();
    Map<String, DirectorView> byNode =
        directors.stream()
            .filter(d -> name.equals(d.pool()))
            .collect(Collectors.toMap(DirectorView::node, Function.identity(), (a, b) -> a));
    List<PoolNode> nodes = new ArrayList<>();
    List<String> notRunning = new ArrayList<>();
    for (PoolNode node : outcome.nodes()) {
      DirectorView director = byNode.get(node.name());
      boolean applied = director != null && director.appliedCurrent();
      if (!applied) {
        notRunning.add(node.name());
      }
      nodes.add(
          new PoolNode(node.name(), node.address(), Boolean.TRUE.equals(node.ready()) && applied));
    }
    long ready = nodes.stream().filter(n -> Boolean.TRUE.equals(n.ready())).count();
    List<String> splitBrains = splitBrains(outcome.allocations(), byNode.values());

    ConditionList conditions =
        new ConditionList(
            pool.getStatus() == null ? null : pool.getStatus().conditions(), generation, now);
    List<Problem> invalid = ofKind(outcome.problems(), Problem.Kind.INVALID);
    List<Problem> exhausted = ofKind(outcome.problems(), Problem.Kind.EXHAUSTED);
    if (!invalid.isEmpty()) {
      conditions.set("Ready", false, invalid.get(0).reason(), messages(invalid));
    } else if (nodes.isEmpty()) {
      conditions.set("Ready", false, "NoNodes", "no Node matches the pool's nodeSelector");
    } else if (ready == 0) {
      conditions.set("Ready", false, "NoReadyNodes", "no director node runs its Director");
    } else {
      conditions.set("Ready", true, "Ready", ready + " of " + nodes.size() + " nodes run");
    }
    if (!splitBrains.isEmpty()) {
      conditions.set("Degraded", true, "SplitBrain", String.join("; ", splitBrains));
    } else if (!notRunning.isEmpty()) {
      conditions.set(
          "Degraded",
          true,
          "NodesNotApplied",
          "not running their current Director spec: " + String.join(", ", notRunning));
    } else {
      conditions.set("Degraded", false, "AsExpected", "every node runs its Director spec");
    }
    if (exhausted.isEmpty()) {
      conditions.set("Exhausted", false, "Available", "every VirtualService got a VIP and VRID");
    } else {
      conditions.set("Exhausted", true, exhausted.get(0).reason(), messages(exhausted));
    }
    if (invalid.isEmpty()) {
      conditions.set("Invalid", false, "Valid", "the spec is valid");
    } else {
      conditions.set("Invalid", true, invalid.get(0).reason(), messages(invalid));
    }
    return new DirectorPoolStatus(
        generation,
        ready + "/" + nodes.size(),
        (int) outcome.allocations().stream().map(VipAllocation::vip).distinct().count(),
        nodes,
        outcome.allocations(),
        conditions.list());
  }

  private static List<String> splitBrains(
      List<VipAllocation> allocations, Collection<DirectorView> directors) {
    List<String> found = new ArrayList<>();
    for (String instance :
        new TreeSet<>(allocations.stream().map(VipAllocation::instance).toList())) {
      List<String> masters = SplitBrain.masters(instance, directors);
      if (masters.size() > 1) {
        found.add(SplitBrain.message(instance, masters));
      }
    }
    return found;
  }

  private static List<Problem> ofKind(List<Problem> problems, Problem.Kind kind) {
    return problems.stream().filter(p -> p.kind() == kind).toList();
  }

  private static String messages(List<Problem> problems) {
    return problems.stream().map(Problem::message).collect(Collectors.joining("; "));
  }
}
