package io.kubelvs.agent.vrrp;

import java.util.List;
import java.util.Objects;

/**
 * A program run every {@code interval} whose exit code is a {@link TrackedCondition}'s result, as
 * keepalived's {@code vrrp_script} and an instance's {@code track_script}: exit 0 is a success, any
 * other exit, a program that cannot be started, or one still running after {@code timeout} is a
 * failure.
 *
 * @param settings the script's name, timing, rise/fall and the weight this instance gives it
 * @param command the program and its arguments, executed directly (no shell) [script]
 */
public record TrackedScript(TrackedCondition.Settings settings, List<String> command) {
  public TrackedScript {
    Objects.requireNonNull(settings, "settings");
    command = List.copyOf(command);
    if (command.isEmpty() || command.get(0).isEmpty()) {
      throw new IllegalArgumentException("tracked script " + settings.name() + " has no program");
    }
  }

  public String name() {
    return settings.name();
  }

  /** The same script with the weight another instance gives it. */
  public TrackedScript withWeight(int weight) {
    TrackedCondition.Settings s = settings;
    return new TrackedScript(
        new TrackedCondition.Settings(
            s.name(), s.interval(), s.timeout(), s.rise(), s.fall(), weight, s.initFail()),
        command);
  }

  /** Whether {@code other} runs the same program on the same schedule, whatever its weight. */
  boolean sameRun(TrackedScript other) {
    return withWeight(0).equals(other.withWeight(0));
  }
}
