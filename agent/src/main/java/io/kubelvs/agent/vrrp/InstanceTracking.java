package io.kubelvs.agent.vrrp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What moves one instance's priority or puts it in FAULT from outside the protocol: its tracked
 * scripts and interfaces ({@link TrackedCondition}s, by name) and an I/O error of its runner. Pure;
 * owned by the runner's event loop, which turns {@link #verdict()} into {@link
 * VrrpStateMachine#onTracking}.
 */
final class InstanceTracking {

  private final int basePriority;
  private final Map<String, TrackedCondition> scripts = new LinkedHashMap<>();
  private final Map<String, TrackedCondition> interfaces = new LinkedHashMap<>();
  private String ioError;

  InstanceTracking(VrrpInstanceConfig config) {
    this.basePriority = config.priority();
    for (TrackedScript script : config.trackScripts()) {
      scripts.put(script.name(), new TrackedCondition(script.settings()));
    }
    for (TrackedInterface tracked : config.trackInterfaces()) {
      interfaces.put(tracked.interfaceName(), tracked.condition());
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

  /** Feeds the link state of a tracked interface; returns whether its status changed. */
  boolean recordLink(String interfaceName, boolean up) {
    TrackedCondition condition = interfaces.get(interfaceName);
    return condition != null
        && condition.record(up ? TrackedCondition.Result.SUCCESS : TrackedCondition.Result.FAILURE);
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
    List<TrackedCondition> all = new ArrayList<>(scripts.values());
    all.addAll(interfaces.values());
    TrackedCondition.Verdict scripted = TrackedCondition.verdict(basePriority, all);
    if (ioError == null) {
      return scripted;
    }
    return new TrackedCondition.Verdict(
        scripted.effectivePriority(), Optional.of("I/O error: " + ioError));
  }
}
