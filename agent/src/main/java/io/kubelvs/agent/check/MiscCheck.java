package io.kubelvs.agent.check;

import java.time.Duration;

/**
 * keepalived's MISC_CHECK: run {@code command} by {@code /bin/sh -c}; exit 0 is up, 1 is down, and
 * with {@code dynamicWeight} (misc_dynamic) exit codes 2-255 mean up with weight {@code code - 2}.
 * A command still running after {@code timeout} (misc_timeout) is killed and counts as down.
 */
public record MiscCheck(String command, Duration timeout, boolean dynamicWeight)
    implements CheckMethod {
  @Override
  public String keepalivedName() {
    return "MISC_CHECK";
  }
}
