package io.kubelvs.agent.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.vrrp.TrackedCondition.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TrackedScriptRunner} running real programs: exit codes, a missing one, a hung one. */
class TrackedScriptRunnerTest {
  /** Long enough for any machine to start a process; only a failing test ever waits that long. */
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @TempDir Path dir;

  private final BlockingQueue<String> results = new LinkedBlockingQueue<>();
  private TrackedScriptRunner runner;

  @AfterEach
  void stop() {
    if (runner != null) {
      runner.close();
    }
  }

  private static TrackedScript script(String name, Duration timeout, String... command) {
    return new TrackedScript(
        new TrackedCondition.Settings(name, Duration.ofHours(1), timeout, 1, 1, 0, false),
        List.of(command));
  }

  private void run(TrackedScript... scripts) {
    runner = new TrackedScriptRunner("test", List.of(scripts), (n, r) -> results.add(n + " " + r));
    runner.start();
  }

  private String next() throws InterruptedException {
    String result = results.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(result).as("a result within " + PATIENCE).isNotNull();
    return result;
  }

  private Path executable(String name, String body) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  @Test
  void exitZeroIsASuccess() throws Exception {
    run(script("ok", PATIENCE, executable("ok.sh", "exit 0").toString()));

    assertThat(next()).isEqualTo("ok " + Result.SUCCESS);
  }

  @Test
  void anotherExitIsAFailure() throws Exception {
    run(script("bad", PATIENCE, executable("bad.sh", "exit 1").toString()));

    assertThat(next()).isEqualTo("bad " + Result.FAILURE);
  }

  @Test
  void argumentsArePassedWithoutAShell() throws Exception {
    Path marker = dir.resolve("a file; with spaces");
    Files.writeString(marker, "");
    run(script("test", PATIENCE, "/usr/bin/test", "-e", marker.toString()));

    assertThat(next()).isEqualTo("test " + Result.SUCCESS);
  }

  @Test
  void aProgramThatCannotBeStartedIsAFailure() throws Exception {
    run(script("missing", PATIENCE, dir.resolve("no-such-program").toString()));

    assertThat(next()).isEqualTo("missing " + Result.FAILURE);
  }

  @Test
  void aHungScriptTimesOutAndItsWholeProcessGroupIsKilled() throws Exception {
    Path pids = dir.resolve("pids");
    Path hang =
        executable(
            "hang.sh",
            "sleep 1000 &\necho $$ $! > " + pids + ".tmp\nmv " + pids + ".tmp " + pids + "\nwait");
    run(script("hang", Duration.ofMillis(500), hang.toString()));

    assertThat(next()).isEqualTo("hang " + Result.TIMEOUT);
    assertThat(pids).exists();
    List<Path> procs =
        List.of(Files.readString(pids).trim().split(" ")).stream()
            .map(pid -> Path.of("/proc", pid))
            .toList();
    VrrpRunnerLab.await(
        () -> procs.stream().noneMatch(Files::exists),
        PATIENCE,
        "the script and the sleep it started are gone: " + procs);
  }

  @Test
  void eachScriptReportsUnderItsOwnName() throws Exception {
    run(
        script("one", PATIENCE, executable("one.sh", "exit 0").toString()),
        script("two", PATIENCE, executable("two.sh", "exit 3").toString()));

    assertThat(List.of(next(), next()))
        .containsExactlyInAnyOrder("one " + Result.SUCCESS, "two " + Result.FAILURE);
  }
}
