package io.kubelvs.operator.reconcile;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What one plan pass computed from objects, kept for the next pass while it is handed the very same
 * objects: the informers replace an object that changes, and the planner's memo hands back last
 * time's Director specs for a pool whose inputs are as then. So a change to one service compares
 * and rebuilds the sets and Directors of its own pool, not of every pool.
 *
 * <p>Objects are compared by identity (an equal copy is computed again, which costs time, never
 * correctness); plain values by equals. A value not asked for in a pass is forgotten after it. For
 * the reconcile thread only.
 */
final class PassMemo {
  private record Kept(Object[] objects, Object values, Object result) {}

  private final boolean keeps;
  private Map<String, Kept> last = new HashMap<>();
  private Map<String, Kept> now = new HashMap<>();

  PassMemo() {
    this(true);
  }

  private PassMemo(boolean keeps) {
    this.keeps = keeps;
  }

  /** A memo that keeps nothing: every value is computed (tests, one-off calls). */
  static PassMemo none() {
    return new PassMemo(false);
  }

  /**
   * The value computed from {@code objects} and {@code values}, or the one computed for {@code key}
   * in the last pass (or this one) from the same objects and equal values.
   */
  @SuppressWarnings("unchecked")
  <T> T get(String key, Object values, Supplier<T> compute, Object... objects) {
    if (!keeps) {
      return compute.get();
    }
    Kept kept = now.get(key);
    if (kept == null) {
      kept = last.get(key);
    }
    if (kept == null || !same(kept, values, objects)) {
      kept = new Kept(objects.clone(), values, compute.get());
    }
    now.put(key, kept);
    return (T) kept.result();
  }

  private static boolean same(Kept kept, Object values, Object[] objects) {
    if (kept.objects().length != objects.length || !Objects.equals(kept.values(), values)) {
      return false;
    }
    for (int i = 0; i < objects.length; i++) {
      if (kept.objects()[i] != objects[i]) {
        return false;
      }
    }
    return true;
  }

  /** The pass is over: what it did not ask for is forgotten. */
  void passDone() {
    last = now;
    now = new HashMap<>();
  }
}
