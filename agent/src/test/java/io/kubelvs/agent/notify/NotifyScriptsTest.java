package io.kubelvs.agent.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.config.NotifyScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Notify scripts run for real: arguments, output, exit status, and the kill at the timeout. */
class NotifyScriptsTest {
  @TempDir Path dir;

  private final NotifyScripts scripts = new NotifyScripts();

  @AfterEach
  void close() {
    scripts.close(Duration.ofSeconds(5));
  }

  @Test
  void aScriptGetsItsOwnArgumentsThenTheCallersAndItsOutputAndExitAreKept() throws Exception {
    Path out = dir.resolve("args");
    Path script =
        script(
            "args.sh",
            "printf '%s|' \"$@\" >> " + out + "\necho said \"$1\"\necho oops >&2\nexit 3\n");

    ScriptResult result =
        scripts
            .run(
                "test",
                NotifyScript.parse(script + " 'own arg'"),
                List.of("INSTANCE", "VI_1", "MASTER", "100"),
                Duration.ofSeconds(20))
            .get(30, TimeUnit.SECONDS);

    assertThat(Files.readString(out)).isEqualTo("own arg|INSTANCE|VI_1|MASTER|100|");
    assertThat(result.exitCode()).hasValue(3);
    assertThat(result.timedOut()).isFalse();
    assertThat(result.output()).containsExactly("said own arg", "oops");
  }

  @Test
  void aScriptStillRunningAtItsTimeoutIsKilled() throws Exception {
    Path pidFile = dir.resolve("pid");
    Path script = script("hang.sh", "echo $$ > " + pidFile + "\nexec sleep 600\n");

    ScriptResult result =
        scripts
            .run("test", NotifyScript.parse(script.toString()), List.of(), Duration.ofMillis(500))
            .get(30, TimeUnit.SECONDS);

    assertThat(result.timedOut()).isTrue();
    assertThat(result.exitCode()).isEmpty();
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
  }

  @Test
  void aScriptThatCannotBeFoundIsReportedNotThrown() throws Exception {
    ScriptResult result =
        scripts
            .run(
                "test",
                NotifyScript.parse(dir.resolve("missing.sh").toString()),
                List.of(),
                Duration.ofSeconds(20))
            .get(30, TimeUnit.SECONDS);

    // setsid(1) reports the missing program and exits 127, as a shell would.
    assertThat(result.exitCode()).hasValue(127);
    assertThat(String.join("\n", result.output())).contains("missing.sh");
  }

  private Path script(String name, String body) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }
}
