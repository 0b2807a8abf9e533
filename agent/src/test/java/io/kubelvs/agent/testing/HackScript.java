package io.kubelvs.agent.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the checkout's {@code hack/} lab scripts (hack/demo.sh, hack/e2e-restart.sh) as a
 * user does, unattended: they build their lab, check each step themselves, and run themselves in
 * hack/vm's VM where this kernel has no ip_vs. Needs root (skips, or fails when CI=true).
 */
public final class HackScript {
  private HackScript() {}

  /** What the script printed and how it ended. */
  public record Run(int exitCode, String output) {}

  /**
   * Runs {@code hack/<name>} with {@code --keep-logs keepLogs}, its output also saved in {@code
   * keepLogs}/../&lt;name&gt;.txt.
   */
  public static Run run(String name, Path keepLogs, int timeoutSeconds, String... args)
      throws IOException, InterruptedException {
    Privileges.requireRoot("run hack/" + name + ": network namespaces and IPVS");
    Path script = find(name);
    Path output = keepLogs.resolveSibling(name + ".txt");
    List<String> command = new ArrayList<>(List.of(script.toString(), "--keep-logs"));
    command.add(keepLogs.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(script.getParent().getParent().toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    builder.environment().put("KUBELVS_DEMO_TTY", "0");
    Process process = builder.start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("hack/" + name + " did not end within " + timeoutSeconds + " s:\n" + read(output));
    }
    String shown = read(output);
    // Shown in the test's report either way: the lab's steps, as a user would read them.
    System.out.println(shown);
    return new Run(process.exitValue(), shown);
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  private static Path find(String name) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path script = dir.resolve("hack").resolve(name);
      if (Files.isExecutable(script)) {
        return script;
      }
    }
    throw new AssertionError("hack/" + name + " not found above " + Path.of("").toAbsolutePath());
  }
}
