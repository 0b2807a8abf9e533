package io.kubelvs.agent.ipvs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** ipvsadm as the oracle of the kernel tests: what the standard tool reads and writes. */
final class Ipvsadm {
  private Ipvsadm() {}

  /** Runs ipvsadm with these arguments and returns its output; fails on a non-zero exit. */
  static String run(String... args) {
    return execute(null, args);
  }

  /** Loads rules in ipvsadm's save format (ipvsadm -R). */
  static void restore(String rules) {
    execute(rules, "-R");
  }

  private static String execute(String input, String... args) {
    List<String> command = new java.util.ArrayList<>();
    command.add("ipvsadm");
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (input != null) {
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The table in ipvsadm's save format, one rule per line (ipvsadm -S -n). */
  static List<String> save() {
    return run("-S", "-n").lines().toList();
  }

  /** Empties the table (only ever inside the VM's own network namespace). */
  static void clear() {
    run("-C");
  }
}
