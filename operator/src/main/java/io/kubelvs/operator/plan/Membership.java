package io.kubelvs.operator.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which nodes direct for which pool. A Director names one pool, so a node whose labels match
 * several pools directs for the oldest of them only; the younger pools get a problem naming the
 * node. Oldest-first means creating a pool never takes a node from a pool that already had it.
 */
final class Membership {

  private final Map<String, List<PoolMember>> members = new HashMap<>();
  private final Map<String, List<Problem>> problems = new HashMap<>();

  /**
   * @param pools the valid pools, in any order
   */
  Membership(List<PoolSettings> pools, List<NodeFacts> nodes) {
    List<PoolSettings> oldestFirst =
        pools.stream().sorted(Comparator.comparing(PoolSettings::seniority)).toList();
    List<NodeFacts> byName = nodes.stream().sorted(Comparator.comparing(NodeFacts::name)).toList();
    for (NodeFacts node : byName) {
      PoolSettings home = null;
      for (PoolSettings pool : oldestFirst) {
        if (!LabelSelectors.matches(pool.nodeSelector(), node.labels())) {
          continue;
        }
        if (home == null) {
          home = pool;
          members.computeIfAbsent(pool.name(), p -> new ArrayList<>()).add(PoolMember.of(node));
        } else {
          problems
              .computeIfAbsent(pool.name(), p -> new ArrayList<>())
              .add(
                  Problem.invalid(
                      "NodeInOlderPool",
                      "node "
                          + node.name()
                          + " matches this pool's nodeSelector but directs for DirectorPool "
                          + home.name()
                          + ", which is older; a node directs for one pool"));
        }
      }
    }
  }

  /** The pool's nodes, by name. */
  List<PoolMember> members(String pool) {
    return members.getOrDefault(pool, List.of());
  }

  List<Problem> problems(String pool) {
    return problems.getOrDefault(pool, List.of());
  }
}
