package io.kubelvs.agent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What the test mains run inside hack/vm's VM share: steps that wait for their condition and print
 * {@code STEP <name> ok|FAILED}, counted for the last line the test on the host looks for, and the
 * shell, ipvsadm and log readings they check with. One main per JVM, so the counts are static.
 */
final class VmSteps {
  private static final Duration WAIT = Duration.ofSeconds(180);
  private static int passed;
  private static int failed;

  private VmSteps() {}

  /** Waits up to 180 s for {@code condition}; counts and prints the outcome. */
  static void step(String name, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        failed++;
        System.out.println("STEP " + name + " FAILED; table:\n" + table());
        return;
      }
      Thread.sleep(200);
    }
    passed++;
    System.out.println("STEP " + name + " ok");
  }

  /** {@code <what>: N passed, M failed}, and the exit status: 0 when all of at least one passed. */
  static int summary(String what) {
    System.out.println(what + ": " + passed + " passed, " + failed + " failed");
    return failed == 0 && passed > 0 ? 0 : 1;
  }

  /** Counts one more failure, e.g. a step that could not even run. */
  static void failed() {
    failed++;
  }

  /** Whether {@code device} has the IPv4 address {@code address}/32. */
  static boolean hasAddress(String device, String address) {
    return sh("ip -o -4 addr show dev " + device).contains(" " + address + "/32 ");
  }

  static String table() {
    return sh("ipvsadm -Ln");
  }

  /** The weight column of a destination line of ipvsadm -Ln, or "" if it is not there. */
  static String weightOf(String destination) {
    for (String line : table().split("\n")) {
      String[] words = line.trim().split("\\s+");
      if (words.length >= 4 && words[0].equals("->") && words[1].equals(destination)) {
        return words[3];
      }
    }
    return "";
  }

  /** How many lines of {@code log} contain {@code text}; -1 if it cannot be read. */
  static int count(Path log, String text) {
    try {
      return (int) Files.readAllLines(log).stream().filter(l -> l.contains(text)).count();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Runs {@code script} with sh; its stdout and stderr. */
  static String sh(String script) {
    try {
      Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      p.waitFor(30, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run: " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + script, e);
    }
  }
}
