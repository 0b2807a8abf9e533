package io.kubelvs.agent.vrrp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What moves one instance's priority or puts it in FAULT from outside the protocol: its tracked
 * scripts and interfaces ({@link TrackedCondition}s, by name), its tracked files ({@link
 * TrackedFile}s) and an I/O error of its runner. Pure; owned by the runner's event loop, which
 * turns {@link #verdict()} into {@link VrrpStateMachine#onTracking}.
 */
final class InstanceTracking {

  private final int basePriority;
  private final Map<String, TrackedCondition> scripts = new LinkedHashMap<>();
  private final Map<String, TrackedCondition> interfaces = new LinkedHashMap<>();
  private final Map<String, TrackedFile> files = new LinkedHashMap<>();
  private final Map<String, Integer> fileValues = new LinkedHashMap<>();
  private String ioError;

  InstanceTracking(VrrpInstanceConfig config) {
    this.basePriority = config.priority();
    for (TrackedScript script : config.trackScripts()) {
      scripts.put(script.name(), new TrackedCondition(script.settings()));
    }
    for (TrackedInterface tracked : config.trackInterfaces()) {
      interfaces.put(tracked.interfaceName(), tracked.condition());
    }
    for (TrackedFile file : config.trackFiles()) {
      files.put(file.name(), file);
      fileValues.put(file.name(), 0);
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

  /** Feeds a tracked file's value; returns whether what it contributes to this instance changed. */
  boolean recordFile(String name, int value) {
    TrackedFile file = files.get(name);
    if (file == null) {
      return false;
    }
    Integer previous = fileValues.put(name, value);
    return previous == null || file.status(previous) != file.status(value);
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

  /**
   * The effective priority, and the fault: an I/O error first, else the conditions down and the
   * files at FAULT. As {@link TrackedCondition#verdict}: the sum is clamped to 1..254, and an
   * address owner (255) keeps 255.
   */
  TrackedCondition.Verdict verdict() {
    List<TrackedCondition> conditions = new ArrayList<>(scripts.values());
    conditions.addAll(interfaces.values());
    List<String> down = new ArrayList<>();
    int sum = 0;
    for (TrackedCondition condition : conditions) {
      sum += condition.priorityContribution();
      if (condition.faults()) {
        down.add(condition.settings().name());
      }
    }
    for (TrackedFile file : files.values()) {
      int status = file.status(fileValues.get(file.name()));
      if (status == -TrackedFile.LIMIT) {
        down.add("file " + file.name());
      } else {
        sum += status;
      }
    }
    Optional<String> fault =
        ioError != null
            ? Optional.of("I/O error: " + ioError)
            : down.isEmpty()
                ? Optional.empty()
                : Optional.of("tracked " + String.join(", ", down) + " down");
    int priority =
        basePriority == VrrpInstanceConfig.OWNER_PRIORITY
            ? basePriority
            : Math.max(1, Math.min(254, basePriority + sum));
    return new TrackedCondition.Verdict(priority, fault);
  }
}
