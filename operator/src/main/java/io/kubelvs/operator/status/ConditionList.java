package io.kubelvs.operator.status;

import io.kubelvs.api.v1alpha1.Condition;
import io.kubelvs.api.v1alpha1.Condition.ConditionStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Conditions in the order they are set, each keeping the previous lastTransitionTime while its
 * status stays the same, as Kubernetes conventions ask. That is also what makes a status fold
 * idempotent: the same inputs give an equal status, so nothing is written.
 */
final class ConditionList {
  private final List<Condition> previous;
  private final long generation;
  private final Instant now;
  private final List<Condition> list = new ArrayList<>();

  ConditionList(List<Condition> previous, long generation, Instant now) {
    this.previous = previous == null ? List.of() : previous;
    this.generation = generation;
    this.now = now;
  }

  void set(String type, boolean holds, String reason, String message) {
    ConditionStatus status = holds ? ConditionStatus.True : ConditionStatus.False;
    String since =
        previous.stream()
            .filter(c -> type.equals(c.type()) && c.status() == status)
            .map(Condition::lastTransitionTime)
            .findFirst()
            .orElseGet(now::toString);
    list.add(new Condition(type, status, generation, since, reason, message));
  }

  List<Condition> list() {
    return List.copyOf(list);
  }
}
