package io.kubelvs.agent.cli;

import io.kubelvs.agent.check.CheckConfigException;
import io.kubelvs.agent.check.CheckConfigValidator;
import io.kubelvs.agent.config.ConfProblem;
import io.kubelvs.agent.config.KeepalivedConf;
import io.kubelvs.agent.config.KeepalivedConfException;
import io.kubelvs.agent.config.KeepalivedConfWriter;
import io.kubelvs.agent.config.KeepalivedNodeConfig;
import io.kubelvs.agent.config.NodeConfig;
import io.kubelvs.agent.config.VirtualServerConfig;
import io.kubelvs.agent.kube.SpecMapping;
import io.kubelvs.agent.observe.ListenAddress;
import io.kubelvs.agent.vrrp.VrrpRunnerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code kubelvs-agent}, the agent's command line ({@code java -jar kubelvs-agent.jar ...}).
 *
 * <pre>
 *   kubelvs-agent convert [--namespace NS] [--pool NAME] [--config-id ID] FILE  (ConvertCommand)
 *   kubelvs-agent check --config FILE [--config-id ID]
 *   kubelvs-agent run   --config FILE [--config-id ID] [--state-dir DIR] [--flush-on-stop]
 *                       [--http ADDRESS:PORT|off]
 *   kubelvs-agent run   --node NODE [--namespace NS] [--state-dir DIR] [--flush-on-stop]
 *                       [--http ADDRESS:PORT|off]
 * </pre>
 *
 * {@code check} reads a keepalived.conf as the agent would run it and says whether it would be
 * accepted, like {@code keepalived --config-test}: every problem with its file and line, or a
 * summary of what the file configures. {@code run} runs the director from it (standalone mode,
 * {@link StandaloneDirector}) until SIGTERM or SIGINT, which leave the IPVS rules in place unless
 * {@code --flush-on-stop} (keepalived's lvs_flush_on_stop); SIGHUP applies the file again. While it
 * runs it serves {@code GET /metrics} (Prometheus) and {@code GET /status} (JSON) on {@code --http}
 * ({@value ListenAddress#DEFAULT}, every address, unless told otherwise; {@code off} for none).
 * Each configuration it applies is kept in the state directory; a start whose {@code --config} file
 * is gone comes up from that copy. With {@code --node} it follows the Director named NODE instead
 * ({@link KubeDirector}), through the cluster of {@code $KUBECONFIG} or its pod's service account;
 * Secrets and Events live in {@code --namespace} (default {@code $POD_NAMESPACE}, else {@value
 * #DEFAULT_NAMESPACE}), and it serves {@code /healthz} and {@code /readyz} too. Exit status: 0
 * accepted (or stopped), 1 refused, 2 wrong usage, 3 could not run.
 */
public final class Main {
  static final int OK = 0;
  static final int REFUSED = 1;
  static final int USAGE = 2;
  static final int CANNOT_RUN = 3;

  private static final String USAGE_TEXT =
      "usage: kubelvs-agent check --config FILE [--config-id ID]\n"
          + "       kubelvs-agent run --config FILE [--config-id ID] [--state-dir DIR]"
          + " [--flush-on-stop]\n"
          + "                         [--http ADDRESS:PORT|off]  (GET /metrics, /status;"
          + " default "
          + ListenAddress.DEFAULT
          + ")\n"
          + "       kubelvs-agent run --node NODE [--namespace NS] [--state-dir DIR]"
          + " [--flush-on-stop] [--http ADDRESS:PORT|off]";

  /** Where the Secrets and Events of Kubernetes mode are, unless --namespace or POD_NAMESPACE. */
  static final String DEFAULT_NAMESPACE = "kubelvs-system";

  /** Where the agent keeps what must survive its restart: owned IPVS services, added VIPs. */
  static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/kubelvs");

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length > 0 && args[0].equals("convert")) {
      return ConvertCommand.run(Arrays.copyOfRange(args, 1, args.length), hostName(), out, err);
    }
    if (args.length == 0 || !(args[0].equals("check") || args[0].equals("run"))) {
      String usage = USAGE_TEXT + "\n       " + ConvertCommand.USAGE;
      err.println(args.length == 0 ? usage : "unknown command '" + args[0] + "'\n" + usage);
      return USAGE;
    }
    Path config = null;
    String configId = null;
    Path stateDir = DEFAULT_STATE_DIR;
    boolean flushOnStop = false;
    String node = null;
    String namespace =
        Optional.ofNullable(System.getenv("POD_NAMESPACE")).orElse(DEFAULT_NAMESPACE);
    Optional<InetSocketAddress> http = ListenAddress.parse(ListenAddress.DEFAULT);
    int i = 1;
    while (i < args.length) {
      String option = args[i];
      if (option.equals("--flush-on-stop") && args[0].equals("run")) {
        flushOnStop = true;
        i++;
        continue;
      }
      if (i + 1 >= args.length) {
        err.println(option + " needs a value\n" + USAGE_TEXT);
        return USAGE;
      }
      String value = args[i + 1];
      switch (option) {
        case "--config" -> config = Path.of(value);
        case "--node" -> {
          if (!args[0].equals("run")) {
            err.println("--node is an option of run\n" + USAGE_TEXT);
            return USAGE;
          }
          node = value;
        }
        case "--namespace" -> {
          if (!args[0].equals("run")) {
            err.println("--namespace is an option of run\n" + USAGE_TEXT);
            return USAGE;
          }
          namespace = value;
        }
        case "--config-id" -> configId = value;
        case "--state-dir" -> {
          if (!args[0].equals("run")) {
            err.println("--state-dir is an option of run\n" + USAGE_TEXT);
            return USAGE;
          }
          stateDir = Path.of(value);
        }
        case "--http" -> {
          if (!args[0].equals("run")) {
            err.println("--http is an option of run\n" + USAGE_TEXT);
            return USAGE;
          }
          try {
            http = ListenAddress.parse(value);
          } catch (IllegalArgumentException e) {
            err.println("--http: " + e.getMessage() + "\n" + USAGE_TEXT);
            return USAGE;
          }
        }
        default -> {
          err.println("unknown option '" + option + "'\n" + USAGE_TEXT);
          return USAGE;
        }
      }
      i += 2;
    }
    if (node != null) {
      if (config != null || configId != null) {
        err.println("run takes --config FILE or --node NODE, not both\n" + USAGE_TEXT);
        return USAGE;
      }
      StartupWarmup.begin();
      return KubeDirector.run(
          new KubeDirector.Options(node, namespace, stateDir, flushOnStop, http, Optional.empty()),
          SpecMapping.directorSpecs(),
          err);
    }
    if (config == null) {
      err.println(args[0] + " needs --config FILE (or, for run, --node NODE)\n" + USAGE_TEXT);
      return USAGE;
    }
    if (args[0].equals("check")) {
      Optional<Loaded> loaded = read(config, configId, err);
      if (loaded.isEmpty()) {
        return REFUSED;
      }
      out.println(config + ": accepted: " + summary(loaded.get().node()));
      return OK;
    }
    StartupWarmup.begin();
    Optional<Loaded> first = read(startingConfig(config, stateDir, err), configId, err);
    if (first.isEmpty()) {
      return REFUSED;
    }
    Path file = config;
    String id = configId;
    return StandaloneDirector.run(
        first.get(), () -> read(file, id, err), stateDir, flushOnStop, http, err);
  }

  /**
   * What {@code run} starts from: {@code config}, or, when it is gone, the configuration the
   * director last applied (kept in the state directory; {@link LastAppliedConfig}). A file that is
   * there but refused is not replaced: that is the operator's to see and fix.
   */
  static Path startingConfig(Path config, Path stateDir, PrintStream err) {
    Path lastApplied = LastAppliedConfig.in(stateDir);
    if (!Files.exists(config) && Files.isRegularFile(lastApplied)) {
      err.println(
          "warning: "
              + config
              + " is missing; starting from the last applied configuration, "
              + lastApplied);
      return lastApplied;
    }
    return config;
  }

  /** A configuration read and validated, with the self-contained text that reads back into it. */
  record Loaded(NodeConfig node, Path source, String text) {}

  /**
   * The node configuration in {@code config}, or empty after printing every problem to {@code err}
   * with its file and line.
   */
  static Optional<Loaded> read(Path config, String configId, PrintStream err) {
    try {
      KeepalivedConf conf =
          configId == null ? KeepalivedConf.parse(config) : KeepalivedConf.parse(config, configId);
      conf.warnings().forEach(w -> err.println("warning: " + w));
      NodeConfig node = KeepalivedNodeConfig.read(conf, hostName());
      CheckConfigValidator.requireValid(
          node.virtualServers().stream().map(VirtualServerConfig::checks).toList());
      return Optional.of(new Loaded(node, config, KeepalivedConfWriter.write(conf.root())));
    } catch (KeepalivedConfException e) {
      for (ConfProblem problem : e.problems()) {
        err.println(problem);
      }
      err.println(config + ": refused, " + e.problems().size() + " problem(s)");
    } catch (CheckConfigException e) {
      err.println(config + ": refused: " + e.getMessage());
    }
    return Optional.empty();
  }

  private static String summary(NodeConfig node) {
    int instances = 0;
    List<String> interfaces = new ArrayList<>();
    for (VrrpRunnerConfig runner : node.vrrp().runners()) {
      instances += runner.instances().size();
      if (!interfaces.contains(runner.interfaceName())) {
        interfaces.add(runner.interfaceName());
      }
    }
    int realServers =
        node.virtualServers().stream().mapToInt(vs -> vs.checks().realServers().size()).sum();
    return count(instances, "VRRP instance")
        + (interfaces.isEmpty() ? "" : " on " + String.join(", ", interfaces))
        + ", "
        + count(node.virtualServers().size(), "virtual server")
        + " with "
        + count(realServers, "real server")
        + ", router_id "
        + node.global().routerId();
  }

  private static String count(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }

  /** keepalived's default router_id: the host name, read from the kernel (no DNS). */
  private static String hostName() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
