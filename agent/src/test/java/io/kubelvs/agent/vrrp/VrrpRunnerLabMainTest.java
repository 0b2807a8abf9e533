package io.kubelvs.agent.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.testing.NoLeftoverNamespaces;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link VrrpLabMain} as the benchmark runs it: a process in a namespace, stopped by SIGTERM. */
@ExtendWith(NoLeftoverNamespaces.class)
class VrrpRunnerLabMainTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  final VrrpRunnerLab lab = VrrpRunnerLab.perTest(1, "run VrrpLabMain in a network-namespace lab");

  Process process;

  /** Before the lab's namespaces go (the extension closes it after this). */
  @AfterEach
  void stopProcess() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void becomesMasterAndHandsOverOnSigterm() throws Exception {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process =
        new ProcessBuilder(
                List.of(
                    "ip",
                    "netns",
                    "exec",
                    lab.host("a").namespace(),
                    java,
                    "-cp",
                    classpath,
                    VrrpLabMain.class.getName(),
                    "--interface",
                    "v0",
                    "--version",
                    "3",
                    "--vrid",
                    "99",
                    "--priority",
                    "100",
                    "--advert",
                    "100ms",
                    "--group",
                    "224.0.100.99",
                    "--vip",
                    "198.18.0.50/32"))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    BlockingQueue<String> lines = readLines(process);

    assertThat(next(lines)).isEqualTo("READY");
    assertThat(next(lines)).matches("STATE VI_1 INIT BACKUP \\d+ start");
    assertThat(next(lines)).matches("STATE VI_1 BACKUP MASTER \\d+ master down interval .*");
    VrrpRunnerLab.await(() -> lab.ipAddrShowsVip("a"), WAIT, "the VIP on a");

    // SIGTERM, as Process.destroy() sends it; through the handle, which leaves stdout open to read.
    process.toHandle().destroy();

    assertThat(next(lines)).matches("STATE VI_1 MASTER STOPPED \\d+ handover: .*");
    assertThat(next(lines)).isEqualTo("STOPPED");
    assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    assertThat(lab.ipAddrShowsVip("a")).isFalse();
  }

  private static BlockingQueue<String> readLines(Process process) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("READ ERROR " + e);
              }
            });
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  private static String next(BlockingQueue<String> lines) throws InterruptedException {
    String line = lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(line).as("a line within " + WAIT).isNotNull();
    return line;
  }
}
