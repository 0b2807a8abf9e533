package io.kubelvs.agent.cli;

import static io.kubelvs.agent.cli.VmSteps.count;
import static io.kubelvs.agent.cli.VmSteps.hasAddress;
import static io.kubelvs.agent.cli.VmSteps.sh;
import static io.kubelvs.agent.cli.VmSteps.step;
import static io.kubelvs.agent.cli.VmSteps.summary;
import static io.kubelvs.agent.cli.VmSteps.table;
import static io.kubelvs.agent.cli.VmSteps.weightOf;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code kubelvs-agent run} inside hack/vm's VM (real ip_vs, real raw sockets) and checks what
 * it does to the kernel, step by step: VIP and IPVS service with the healthy real server only,
 * SIGHUP with a new weight applied without a VRRP state change, SIGHUP with a broken file refused
 * while everything stays, SIGTERM handing the VIP over and leaving the IPVS rules. Prints {@code
 * STEP <name> ok|FAILED ...} per step, then {@code standalone: N passed, M failed}; exits 1 if any
 * failed. Runs as root in a fresh network namespace with lo up.
 */
public final class StandaloneRunVmMain {

  private StandaloneRunVmMain() {}

  public static void main(String[] args) throws Exception {
    sh("ip link add d0 type dummy && ip link set d0 up && ip addr add 198.18.0.1/24 dev d0");
    HttpServer web = HttpServer.create(new InetSocketAddress("198.18.0.1", 80), 16);
    web.createContext(
        "/",
        exchange -> {
          byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    web.start();
    Path dir = Files.createTempDirectory("standalone");
    Path conf = dir.resolve("keepalived.conf");
    Files.writeString(conf, config(1, "rr"));
    Path log = dir.resolve("agent.log");
    Process agent = startAgent(conf, dir, log);
    try {
      step(
          "master with the VIP and the healthy real server only",
          () -> vip() && table().contains("198.18.0.1:80") && !table().contains("198.18.0.101"));
      step(
          "each member of the virtual_server_group is a service with the checked server",
          () ->
              services().equals(List.of("198.18.0.50:80", "198.18.0.55:80", "198.18.0.56:80"))
                  && table().split("198.18.0.1:80", -1).length == 4);
      int stateChanges = count(log, "vrrp state change");

      Files.writeString(conf, config(3, "rr"));
      signal(agent, "HUP");
      step("SIGHUP applies the new weight", () -> weightOf("198.18.0.1:80").equals("3"));
      step(
          "without a VRRP state change",
          () -> vip() && count(log, "vrrp state change") == stateChanges);

      Files.writeString(conf, config(5, "roundrobin"));
      signal(agent, "HUP");
      step("a broken file is refused", () -> count(log, "configuration refused") == 1);
      step(
          "and the running configuration stays",
          () -> vip() && weightOf("198.18.0.1:80").equals("3"));

      agent.destroy(); // SIGTERM
      boolean ended = agent.waitFor(60, TimeUnit.SECONDS);
      step("SIGTERM stops the agent", () -> ended);
      step("the VIP is handed over", () -> !vip());
      step("the IPVS rules stay", () -> weightOf("198.18.0.1:80").equals("3"));

      // Started again on the same state directory: the rules are its own, and go at the stop.
      Files.writeString(conf, config(3, "rr"));
      agent = startAgent(conf, dir, log, "--flush-on-stop");
      // Polled through the whole start: the restarted agent adopts its rules, never removes them.
      boolean[] ruleAlways = {true};
      step(
          "a restart takes the VIP again",
          () -> {
            ruleAlways[0] &= weightOf("198.18.0.1:80").equals("3");
            return vip();
          });
      step("and its IPVS rule stayed through the restart", () -> ruleAlways[0]);
      agent.destroy();
      boolean flushed = agent.waitFor(60, TimeUnit.SECONDS);
      step(
          "with --flush-on-stop SIGTERM removes the service",
          () -> flushed && !table().contains("198.18.0.50:80"));

      // Its file gone, a start comes up from the configuration it last applied.
      Files.delete(conf);
      agent = startAgent(conf, dir, log);
      step(
          "without its file, a start runs the last applied configuration",
          () -> vip() && weightOf("198.18.0.1:80").equals("3"));
      step(
          "and says so",
          () -> count(log, "is missing; starting from the last applied configuration") == 1);
    } finally {
      agent.destroyForcibly();
      web.stop(0);
      System.out.println("--- agent log:\n" + Files.readString(log));
    }
    System.exit(summary("standalone"));
  }

  private static Process startAgent(Path conf, Path dir, Path log, String... more)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(
        List.of(
            "run", "--config", conf.toString(), "--state-dir", dir.resolve("state").toString()));
    command.addAll(List.of(more));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  private static String config(int weight, String scheduler) {
    return """
        global_defs {
            router_id VM_DIRECTOR
        }
        vrrp_instance VI_1 {
            interface d0
            virtual_router_id 99
            priority 100
            advert_int 1
            virtual_ipaddress {
                198.18.0.50
            }
        }
        virtual_server_group web {
            198.18.0.50 80
            198.18.0.55-56 80
        }
        virtual_server group web {
            delay_loop 1
            lb_algo %s
            lb_kind DR
            sorry_server 127.0.0.1 80
            real_server 198.18.0.1 80 {
                weight %d
                HTTP_GET {
                    url {
                        path /
                        status_code 200
                    }
                    ! Generous: a JVM starting under the VM's emulation answers slowly at first.
                    connect_timeout 5
                    retry 2
                    delay_before_retry 1
                }
            }
            real_server 198.18.0.101 80 {
                TCP_CHECK {
                    connect_timeout 1
                    retry 0
                }
            }
        }
        """
        .formatted(scheduler, weight);
  }

  private static boolean vip() {
    return hasAddress("d0", "198.18.0.50");
  }

  /** The TCP services of ipvsadm -Ln, address:port, in its order. */
  private static List<String> services() {
    List<String> services = new ArrayList<>();
    for (String line : table().split("\n")) {
      String[] words = line.trim().split("\\s+");
      if (words.length >= 2 && words[0].equals("TCP")) {
        services.add(words[1]);
      }
    }
    services.sort(null);
    return services;
  }

  private static void signal(Process process, String signal) {
    sh("kill -" + signal + " " + process.pid());
  }
}
