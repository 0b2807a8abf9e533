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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar kubelvs-operator.jar [--lease-namespace NS] [--identity NAME] [--probe-port
 * PORT] [--no-leader-election]}: runs the operator against the cluster of {@code $KUBECONFIG}, or
 * the in-cluster config in a pod. It installs nothing: the CRDs and RBAC come from {@code deploy/}.
 *
 * <p>Defaults come from the Deployment's downward API: the Lease lives in {@code $POD_NAMESPACE}
 * (else the client's namespace), the identity is {@code $POD_NAME} (else the host name). Exits 0 on
 * SIGTERM after releasing the Lease, 1 when the Lease was lost, 2 on bad arguments.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws Exception {
    Config config = Config.autoConfigure(null);
    String namespace = env("POD_NAMESPACE", config.getNamespace());
    String identity = env("POD_NAME", hostName());
    int probePort = 8081;
    boolean leaderElection = true;
    for (Iterator<String> it = Arrays.asList(args).iterator(); it.hasNext(); ) {
      String arg = it.next();
      switch (arg) {
        case "--lease-namespace" -> namespace = value(arg, it);
        case "--identity" -> identity = value(arg, it);
        case "--probe-port" -> probePort = Integer.parseInt(value(arg, it));
        case "--no-leader-election" -> leaderElection = false;
        default -> usage("unknown argument " + arg);
      }
    }
    if (leaderElection && namespace == null) {
      usage("no namespace for the Lease: set --lease-namespace or $POD_NAMESPACE");
    }
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    OperatorProcess process =
        new OperatorProcess(
            client,
            OperatorProcess.Settings.defaults(
                namespace, identity, new InetSocketAddress(probePort), leaderElection),
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
    LOG.info("starting server={} identity={}", config.getMasterUrl(), identity);
    process.start();
    Thread.currentThread().join();
  }

  private static String value(String flag, Iterator<String> it) {
    if (!it.hasNext()) {
      usage(flag + " needs a value");
    }
    return it.next();
  }

  private static void usage(String problem) {
    System.err.println(
        problem
            + "\nusage: kubelvs-operator [--lease-namespace NS] [--identity NAME]"
            + " [--probe-port PORT] [--no-leader-election]");
    System.exit(2);
  }

  private static String env(String name, String otherwise) {
    String value = System.getenv(name);
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
