package io.kubelvs.agent.vrrp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What moves one instance's priority or puts it in FAULT from outside the protocol: its tracked
 * scripts ({@link TrackedCondition}s, by script name) and an I/O error of its runner. Pure; owned
 * by the runner's event loop, which turns {@link #verdict()} into {@link
 * VrrpStateMachine#onTracking}.
 */
final class InstanceTracking {

  private final int basePriority;
  private final Map<String, TrackedCondition> scripts = new LinkedHashMap<>();
  private String ioError;

  InstanceTracking(VrrpInstanceConfig config) {
    this.basePriority = config.priority();
    for (TrackedScript script : config.trackScripts()) {
      scripts.put(script.name(), new TrackedCondition(script.settings()));
    }
  }

  /** Whether this instance tracks the script {@code name}. */
  boolean tracks(String name) {
    return scripts.containsKey(name);
  }

  /** Feeds one result of the script {@code name}; returns whether its status changed. */
  boolean record(String name, TrackedCondition.Result result) {
    TrackedCondition condition = scripts.get(name);
    return condition != null && condition.record(result);
  }

  TrackedCondition.Status status(String name) {
    TrackedCondition condition = scripts.get(name);
    if (condition == null) {
      throw new IllegalArgumentException("script " + name + " is not tracked");
    }
    return condition.status();
  }

  /** An I/O error ({@code error} not null) holds the instance in FAULT until it is cleared. */
  void ioError(String errorOrNull) {
    ioError = errorOrNull;
  }

  /** Whether tracking leaves the instance as configured: no fault, its base priority. */
  boolean neutral() {
    TrackedCondition.Verdict verdict = verdict();
    return verdict.fault().isEmpty() && verdict.effectivePriority() == basePriority;
  }

  /** The effective priority, and the fault: an I/O error first, else the scripts down. */
  TrackedCondition.Verdict verdict() {
    TrackedCondition.Verdict scripted = TrackedCondition.verdict(basePriority, scripts.values());
    if (ioError == null) {
      return scripted;
    }
    return new TrackedCondition.Verdict(
        scripted.effectivePriority(), Optional.of("I/O error: " + ioError));
  }
}
