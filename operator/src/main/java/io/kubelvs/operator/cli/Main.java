package io.kubelvs.operator.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar kubelvs-operator.jar [--lease-namespace NS] [--identity NAME] [--probe-port
 * PORT] [--no-leader-election]}: runs the operator against the cluster of {@code $KUBECONFIG}, or
 * the in-cluster config in a pod. It installs nothing: the CRDs and RBAC come from {@code deploy/}.
 *
 * <p>Defaults come from the Deployment's downward API: the Lease lives in {@code $POD_NAMESPACE}
 * (else the client's namespace), where the agents' heartbeat Leases are read too; the identity is
 * {@code $POD_NAME} (else the host name). Exits 0 on SIGTERM after releasing the Lease, 1 when the
 * Lease was lost, 2 on bad arguments.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  static final String USAGE =
      "usage: kubelvs-operator [--lease-namespace NS] [--identity NAME]"
          + " [--probe-port PORT] [--no-leader-election]";

  /** What the command line and the environment ask for. */
  record Options(String leaseNamespace, String identity, int probePort, boolean leaderElection) {}

  /** Arguments the operator does not accept; the message says which. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String problem) {
      super(problem);
    }
  }

  private Main() {}

  public static void main(String[] args) throws Exception {
    Config config = Config.autoConfigure(null);
    Options options;
    try {
      options = parse(Arrays.asList(args), System::getenv, config.getNamespace(), hostName());
    } catch (UsageException e) {
      System.err.println(e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    OperatorProcess process =
        new OperatorProcess(
            client,
            OperatorProcess.Settings.defaults(
                options.leaseNamespace(),
                options.identity(),
                new InetSocketAddress(options.probePort()),
                options.leaderElection()),
            Clock.systemUTC(),
            () -> Runtime.getRuntime().halt(1));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  process.close();
                  client.close();
                },
                "kubelvs-shutdown"));
    LOG.info("starting server={} identity={}", config.getMasterUrl(), options.identity());
    process.start();
    Thread.currentThread().join();
  }

  /**
   * The options of {@code args}, with defaults from {@code env} ({@code POD_NAMESPACE}, {@code
   * POD_NAME}), the client's namespace and the host name.
   */
  static Options parse(
      List<String> args, UnaryOperator<String> env, String clientNamespace, String hostName)
      throws UsageException {
    String namespace = env(env, "POD_NAMESPACE", clientNamespace);
    String identity = env(env, "POD_NAME", hostName);
    int probePort = 8081;
    boolean leaderElection = true;
    for (Iterator<String> it = args.iterator(); it.hasNext(); ) {
      String arg = it.next();
      switch (arg) {
        case "--lease-namespace" -> namespace = value(arg, it);
        case "--identity" -> identity = value(arg, it);
        case "--probe-port" -> probePort = port(value(arg, it));
        case "--no-leader-election" -> leaderElection = false;
        default -> throw new UsageException("unknown argument " + arg);
      }
    }
    if (leaderElection && namespace == null) {
      throw new UsageException(
          "no namespace for the Lease: set --lease-namespace or $POD_NAMESPACE");
    }
    return new Options(namespace, identity, probePort, leaderElection);
  }

  private static String value(String flag, Iterator<String> it) throws UsageException {
    if (!it.hasNext()) {
      throw new UsageException(flag + " needs a value");
    }
    return it.next();
  }

  private static int port(String text) throws UsageException {
    int port;
    try {
      port = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new UsageException("--probe-port: not a port: " + text);
    }
    if (port < 0 || port > 65535) {
      throw new UsageException("--probe-port: not a port: " + text);
    }
    return port;
  }

  private static String env(UnaryOperator<String> env, String name, String otherwise) {
    String value = env.apply(name);
    return value == null || value.isBlank() ? otherwise : value;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "kubelvs-operator";
    }
  }
}
