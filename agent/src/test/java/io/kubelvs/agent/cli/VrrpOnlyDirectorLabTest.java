package io.kubelvs.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.testing.NetnsLab;
import io.kubelvs.agent.testing.Privileges;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubelvs-agent run} as a process in a network namespace, with a configuration of VRRP
 * instances only: it needs no IPVS, as keepalived does not for bare VIPs. Where the kernel has no
 * ip_vs (this machine's), a configuration with virtual servers cannot start, and one given by
 * SIGHUP is refused while the VIP stays.
 */
class VrrpOnlyDirectorLabTest {
  private static final String VIP = "198.18.0.50";

  @TempDir Path dir;

  private NetnsLab lab;
  private final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void lab() {
    Privileges.requireRoot("network namespaces");
    lab = NetnsLab.create(1);
  }

  @AfterEach
  void close() throws InterruptedException {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void vrrpInstancesAloneRunAndTheirVipComesAndGoes() throws Exception {
    Path config = dir.resolve("keepalived.conf");
    Files.writeString(config, vrrpOnly());
    Agent agent = start(config);

    agent.await(line -> line.contains("to=MASTER"), "MASTER");
    assertThat(lab.host("a").ip("-o", "addr", "show", "dev", NetnsLab.INTERFACE)).contains(VIP);

    if (!kernelHasIpvs()) {
      Files.writeString(config, vrrpOnly() + virtualServer());
      agent.signal("HUP");
      agent.await(line -> line.contains("configuration refused"), "the refusal");
      assertThat(agent.lines())
          .anyMatch(
              line ->
                  line.contains(
                      "the configuration has virtual servers, and the kernel has no IPVS"));
      assertThat(lab.host("a").ip("-o", "addr", "show", "dev", NetnsLab.INTERFACE)).contains(VIP);
    }

    agent.signal("TERM");
    assertThat(agent.process.waitFor(30, TimeUnit.SECONDS)).as("stopped").isTrue();
    // A JVM that stops on SIGTERM exits 128 + 15, after the shutdown hook's handover.
    assertThat(agent.process.exitValue()).isEqualTo(143);
    assertThat(agent.lines()).anyMatch(line -> line.contains("vrrp runner stopped interface=v0"));
    assertThat(lab.host("a").ip("-o", "addr", "show", "dev", NetnsLab.INTERFACE))
        .doesNotContain(VIP);
  }

  @Test
  void withoutIpvsVirtualServersCannotStart() throws Exception {
    Assumptions.assumeFalse(
        kernelHasIpvs(), "this kernel has IPVS: the whole configuration runs (the VM's tests)");
    Path config = dir.resolve("keepalived.conf");
    Files.writeString(config, vrrpOnly() + virtualServer());
    Agent agent = start(config);

    assertThat(agent.process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
    assertThat(agent.process.exitValue()).isEqualTo(Main.CANNOT_RUN);
    assertThat(agent.lines()).anyMatch(line -> line.contains("the kernel has no IPVS"));
    assertThat(lab.host("a").ip("-o", "addr", "show", "dev", NetnsLab.INTERFACE))
        .doesNotContain(VIP);
  }

  private static boolean kernelHasIpvs() {
    return Files.exists(Path.of("/proc/net/ip_vs"));
  }

  private static String vrrpOnly() {
    return """
        global_defs {
            router_id lab
        }
        vrrp_instance VI_1 {
            state MASTER
            interface v0
            virtual_router_id 51
            priority 150
            advert_int 1
            virtual_ipaddress {
                %s
            }
        }
        """
        .formatted(VIP);
  }

  private static String virtualServer() {
    return """
        virtual_server %s 80 {
            lb_kind DR
            real_server 198.18.0.101 80 {
                TCP_CHECK {
                    connect_timeout 1
                }
            }
        }
        """
        .formatted(VIP);
  }

  private Agent start(Path config) throws IOException {
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process process =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                lab.host("a").namespace(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classPath,
                Main.class.getName(),
                "run",
                "--config",
                config.toString(),
                "--state-dir",
                dir.resolve("state").toString(),
                "--http",
                "off")
            .redirectErrorStream(true)
            .start();
    processes.add(process);
    process.getOutputStream().close();
    Agent agent = new Agent(process);
    Thread reader = new Thread(agent::read, "agent-output");
    reader.setDaemon(true);
    reader.start();
    return agent;
  }

  /** The agent's process and the lines it printed. */
  private static final class Agent {
    private final Process process;
    private final List<String> lines = new ArrayList<>();

    Agent(Process process) {
      this.process = process;
    }

    void read() {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          synchronized (this) {
            lines.add(line);
            notifyAll();
          }
        }
      } catch (IOException e) {
        synchronized (this) {
          lines.add("(output reader: " + e.getMessage() + ")");
          notifyAll();
        }
      }
    }

    synchronized List<String> lines() {
      return List.copyOf(lines);
    }

    synchronized void await(Predicate<String> line, String what) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (lines.stream().noneMatch(line)) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !process.isAlive()) {
          throw new AssertionError(
              "the agent did not show " + what + "; it printed:\n" + String.join("\n", lines));
        }
        TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
      }
    }

    void signal(String name) throws IOException, InterruptedException {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(kill.exitValue()).as("kill -" + name).isZero();
    }
  }
}
