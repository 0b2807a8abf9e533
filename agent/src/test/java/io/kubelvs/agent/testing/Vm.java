package io.kubelvs.agent.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a Java main class of the test classpath inside hack/vm's VM, whose kernel has IPVS, in a
 * fresh network namespace with {@code lo} up. The VM sees this machine's files read-only at the
 * same paths, so the same java and classpath work there.
 */
public final class Vm {
  /** Under TCG a JVM starts 25-30x slower; these flags shorten what it does at start. */
  private static final List<String> GUEST_JVM_FLAGS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss1m", "-Xmx512m");

  private Vm() {}

  /** What the guest printed and how it ended. */
  public record Run(int exitCode, String output) {}

  /**
   * Runs {@code mainClass} with {@code args} in the VM. Skips (fails when CI=true) where the VM
   * cannot run: it needs root to set itself up.
   */
  public static Run runMain(Class<?> mainClass, int timeoutSeconds, String... args) {
    return runMain(mainClass, timeoutSeconds, 1024, args);
  }

  /** As {@link #runMain(Class, int, String...)}, in a guest of {@code memoryMib} MiB. */
  public static Run runMain(Class<?> mainClass, int timeoutSeconds, int memoryMib, String... args) {
    Privileges.requireRoot("boot the IPVS test VM (hack/vm/run.sh installs qemu and a kernel)");
    Path runScript = findRunScript();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            runScript.toString(),
            "--timeout",
            Integer.toString(timeoutSeconds),
            "--mem",
            Integer.toString(memoryMib),
            // The checkout may lie under /tmp (CI clones there), which the guest has its own of:
            // share it explicitly so the build output is at the same path inside.
            "--results",
            runScript.getParent().getParent().getParent().toString(),
            "--env",
            "CI",
            "--",
            "unshare",
            "-n",
            "sh",
            "-c",
            "ip link set lo up && exec \"$@\"",
            "sh",
            java));
    command.addAll(GUEST_JVM_FLAGS);
    command.addAll(List.of("-cp", testClassPath(), mainClass.getName()));
    command.addAll(List.of(args));
    return execute(command, timeoutSeconds + 60);
  }

  private static Run execute(List<String> command, int timeoutSeconds) {
    try {
      Path output = Files.createTempFile("kubelvs-vm-", ".log");
      try {
        Process process =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          fail("hack/vm/run.sh did not end within " + timeoutSeconds + " s");
        }
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run hack/vm/run.sh", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the VM ran", e);
    }
  }

  /** Surefire puts the real classpath here; java.class.path is only its booter jar. */
  private static String testClassPath() {
    String classPath = System.getProperty("surefire.test.class.path");
    return classPath != null ? classPath : System.getProperty("java.class.path");
  }

  private static Path findRunScript() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path script = dir.resolve("hack/vm/run.sh");
      if (Files.isExecutable(script)) {
        return script;
      }
    }
    if ("true".equals(System.getenv("CI"))) {
      fail("hack/vm/run.sh not found above " + Path.of("").toAbsolutePath());
    }
    Assumptions.abort("hack/vm/run.sh not found: not in a kubelvs checkout");
    throw new AssertionError("unreachable");
  }
}
