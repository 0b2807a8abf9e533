package io.kubelvs.agent.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need root skip on a developer's machine but fail in CI, where they must run: CI sets
 * CI=true and runs as root, so a skip there would hide a test that never ran.
 */
public final class Privileges {
  private Privileges() {}

  /** Call first in a test (or @BeforeEach) that needs root; {@code why} says what for. */
  public static void requireRoot(String why) {
    requireRoot(why, isRoot(), System.getenv("CI"));
  }

  static void requireRoot(String why, boolean root, String ciVariable) {
    if (root) {
      return;
    }
    String message = "needs root to " + why;
    if ("true".equals(ciVariable)) {
      fail(message + ", and CI=true: CI must run this test as root, not skip it");
    }
    Assumptions.abort(message + "; skipped because not root (run as root, or in CI)");
  }

  /** The effective uid from /proc/self/status ("Uid: real effective saved fs") is 0. */
  public static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[2].equals("0");
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/self/status", e);
    }
  }
}
