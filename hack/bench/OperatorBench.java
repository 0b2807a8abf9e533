import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.VirtualServer;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
import io.kubelvs.api.v1alpha1.VrrpInstance;
import io.kubelvs.api.v1alpha1.VirtualService;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The operator benchmark's driver (hack/bench-operator.sh runs it with java's source launcher):
 * fabric8's mock API server in CRUD mode with the CRDs, NODES Ready nodes in POOLS pools, SERVICES
 * VirtualServices spread over the pools (VIPs allocated from each pool's range); then
 * operator/target/kubelvs-operator.jar as a process of its own against it.
 *
 * <ul>
 *   <li>converge: from the operator's start until every VirtualService is in its pool's Directors
 *       and has its status (VIP) written;
 *   <li>change: one VirtualService's real server weight changed, until every Director that carries
 *       the service carries the new weight (seen through a watch of the Directors), CHANGES times,
 *       one at a time, after 5 that are not counted (warm-up) (the change is in the Directors once
 *       the VirtualServerSet their instances name holds it);
 *   <li>RSS of the operator's process after the changes.
 * </ul>
 *
 * Usage: java -cp CLASSPATH OperatorBench.java REPO SERVICES POOLS NODES CHANGES
 */
public class OperatorBench {
  private static final int WARM_UP = 5;

  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args[0]);
    int services = Integer.parseInt(args[1]);
    int pools = Integer.parseInt(args[2]);
    int nodes = Integer.parseInt(args[3]);
    int changes = Integer.parseInt(args[4]);

    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(List.of()), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl("http://127.0.0.1:" + server.getPort())
            .withNamespace("default")
            .withRequestTimeout(60_000)
            .build();
    KubernetesClient admin = new KubernetesClientBuilder().withConfig(config).build();
    for (String crd :
        List.of("directorpools.kubelvs.io.yaml", "directors.kubelvs.io.yaml", "virtualservices.kubelvs.io.yaml",
            "virtualserversets.kubelvs.io.yaml")) {
      admin
          .resource(
              Serialization.unmarshal(
                  Files.readString(repo.resolve("crds").resolve(crd)), CustomResourceDefinition.class))
          .create();
    }
    for (int n = 1; n <= nodes; n++) {
      admin
          .resource(
              new NodeBuilder()
                  .withNewMetadata()
                  .withName(String.format("node-%02d", n))
                  .withLabels(Map.of("kubelvs.io/pool", "pool-" + (n % pools)))
                  .endMetadata()
                  .withNewStatus()
                  .addNewCondition()
                  .withType("Ready")
                  .withStatus("True")
                  .endCondition()
                  .addNewAddress()
                  .withType("InternalIP")
                  .withAddress("198.18.100." + n)
                  .endAddress()
                  .endStatus()
                  .build())
          .create();
    }
    for (int p = 0; p < pools; p++) {
      admin.resource(Serialization.unmarshal(pool(p), DirectorPool.class)).create();
    }
    long created0 = System.nanoTime();
    for (int i = 0; i < services; i++) {
      admin.resource(Serialization.unmarshal(service(i, pools, 1), VirtualService.class)).create();
    }
    System.out.printf(
        "bench-operator: %d VirtualServices, %d pools, %d nodes created in %.1f s%n",
        services, pools, nodes, (System.nanoTime() - created0) / 1e9);

    // What the Directors carry, through the VirtualServerSets their instances name: a Director
    // carries a service's new weight once the set holds it, since an agent runs each new generation
    // of its Director's sets (a Director is rewritten only when its own instances change).
    Carried carried = new Carried();
    admin.resources(VirtualServerSet.class).inform(carried.sets());
    admin.resources(Director.class).inform(carried.directors());

    Path kubeconfig = Files.createTempFile("bench-operator", ".kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: mock, cluster: {server: "http://127.0.0.1:%d"}}]
        users: [{name: op, user: {token: bench}}]
        contexts: [{name: mock, context: {cluster: mock, user: op, namespace: kubelvs-system}}]
        current-context: mock
        """
            .formatted(server.getPort()));
    // The JVM as the image runs it (operator/pom.xml's jvmFlags) in the production overlay's 1 GiB
    // memory limit: MaxRAM stands in for the container's limit, so the heap is 768 MiB.
    List<String> command =
        new ArrayList<>(
            List.of(
                "java",
                "-XX:MaxRAM=1g",
                "-XX:+UseG1GC",
                "-XX:MaxRAMPercentage=75",
                "-XX:+ExitOnOutOfMemoryError"));
    // Extra JVM options for the operator only, e.g. a flight recording while profiling.
    String javaOpts = System.getenv().getOrDefault("BENCH_OPERATOR_JAVA_OPTS", "");
    if (!javaOpts.isBlank()) {
      command.addAll(List.of(javaOpts.trim().split("\\s+")));
    }
    command.addAll(
        List.of(
            "-jar",
            repo.resolve("operator/target/kubelvs-operator.jar").toString(),
            "--no-leader-election",
            "--probe-port",
            "18081"));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(repo.resolve("operator/target/bench-operator.log").toFile());
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    // Which VirtualServices have a status with their VIP: the operator writes it after the Directors.
    Map<String, Boolean> withStatus = new ConcurrentHashMap<>();
    admin
        .resources(VirtualService.class)
        .inAnyNamespace()
        .inform(
            new ResourceEventHandler<VirtualService>() {
              @Override
              public void onAdd(VirtualService vs) {
                record(vs);
              }

              @Override
              public void onUpdate(VirtualService before, VirtualService vs) {
                record(vs);
              }

              @Override
              public void onDelete(VirtualService vs, boolean unknown) {}

              private void record(VirtualService vs) {
                // Converged: the status names the VIP and the directors that carry it.
                if (vs.getStatus() != null
                    && vs.getStatus().vip() != null
                    && vs.getStatus().directors() != null
                    && !vs.getStatus().directors().isEmpty()) {
                  withStatus.put(vs.getMetadata().getName(), true);
                }
              }
            });
    long start = System.nanoTime();
    Process operator = builder.start();
    try {
      while (carried.services() < services) {
        if (!operator.isAlive()) {
          throw new IllegalStateException("the operator exited; see operator/target/bench-operator.log");
        }
        if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(10)) {
          throw new IllegalStateException(
              "not converged in 10 minutes: " + carried.services() + " of " + services);
        }
        Thread.sleep(20);
      }
      double directorsS = (System.nanoTime() - start) / 1e9;
      while (withStatus.size() < services) {
        if (!operator.isAlive() || System.nanoTime() - start > TimeUnit.MINUTES.toNanos(10)) {
          throw new IllegalStateException("statuses not written: " + withStatus.size() + " of " + services);
        }
        Thread.sleep(20);
      }
      double convergeS = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "converged: every VirtualService in its Directors after %.1f s, with its status after %.1f s%n",
          directorsS, convergeS);

      Path operatorLog = repo.resolve("operator/target/bench-operator.log");
      long logLinesBeforeChanges = 0;
      Random random = new Random(0x6b7562656c7673L);
      List<Double> latencies = new ArrayList<>();
      int holders = 0;
      // The first changes run code paths the convergence did not (the JIT compiles them): they
      // are made, and not counted.
      for (int t = -WARM_UP; t < changes; t++) {
        if (t == 0) {
          logLinesBeforeChanges = Files.readAllLines(operatorLog).size();
        }
        int i = random.nextInt(services);
        int weight = 2 + WARM_UP + t;
        String key = "bench/" + name(i);
        VirtualService vs = admin.resources(VirtualService.class).inNamespace("bench").withName(name(i)).get();
        VirtualService changed = Serialization.unmarshal(service(i, pools, weight), VirtualService.class);
        changed.getMetadata().setResourceVersion(vs.getMetadata().getResourceVersion());
        holders = Math.max(holders, carried.holders(key).size());
        long t0 = System.nanoTime();
        admin.resource(changed).update();
        while (carried.holding(key, weight) < carried.holders(key).size()) {
          if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(60)) {
            throw new IllegalStateException("change " + t + " of " + key + " not in 60 s");
          }
          Thread.sleep(0, 200_000);
        }
        double all = (System.nanoTime() - t0) / 1e6;
        if (t >= 0) {
          latencies.add(all);
        }
        Thread.sleep(100);
      }
      latencies.sort(null);
      double p50 = latencies.get((int) Math.ceil(0.50 * latencies.size()) - 1);
      double p99 = latencies.get((int) Math.ceil(0.99 * latencies.size()) - 1);
      long rssKib =
          Files.readAllLines(Path.of("/proc/" + operator.pid() + "/status")).stream()
              .filter(l -> l.startsWith("VmRSS:"))
              .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
              .findFirst()
              .orElse(0);
      System.out.printf(
          "changes: %d, one at a time, until all of the service's %d Directors carry it: p50 %.0f"
              + " ms, p99 %.0f ms, max %.0f ms%n",
          changes,
          holders,
          p50,
          p99,
          latencies.get(latencies.size() - 1));
      // The operator's own share against the API server's: its passes that wrote during
      // the changes log how long they planned (planMs) and how long the writes of sets and then
      // Directors took to be answered (setWriteMs + directorWriteMs).
      List<Long> planMs = new ArrayList<>();
      List<Long> writeMs = new ArrayList<>();
      Pattern pass =
          Pattern.compile(
              "reconciled .* planMs=([0-9]+) setWriteMs=([0-9]+) directorWriteMs=([0-9]+)");
      Files.readAllLines(operatorLog).stream()
          .skip(logLinesBeforeChanges)
          .map(pass::matcher)
          .filter(Matcher::find)
          .forEach(
              m -> {
                planMs.add(Long.parseLong(m.group(1)));
                writeMs.add(Long.parseLong(m.group(2)) + Long.parseLong(m.group(3)));
              });
      if (planMs.isEmpty()) {
        throw new IllegalStateException("no pass that wrote in " + operatorLog);
      }
      planMs.sort(null);
      writeMs.sort(null);
      long planP99 = planMs.get((int) Math.ceil(0.99 * planMs.size()) - 1);
      long writeP99 = writeMs.get((int) Math.ceil(0.99 * writeMs.size()) - 1);
      System.out.printf(
          "operator passes that wrote: %d; planning p50 %d ms, p99 %d ms;"
              + " set and Director writes answered p50 %d ms, p99 %d ms%n",
          planMs.size(),
          planMs.get((int) Math.ceil(0.50 * planMs.size()) - 1),
          planP99,
          writeMs.get((int) Math.ceil(0.50 * writeMs.size()) - 1),
          writeP99);
      System.out.printf(
          "RESULT converge_s=%.1f p50_change_ms=%.0f p99_change_ms=%.0f rss_mib=%d"
              + " p99_plan_ms=%d p99_write_ms=%d%n",
          convergeS, p50, p99, rssKib / 1024, planP99, writeP99);
    } finally {
      operator.destroy();
      operator.waitFor(30, TimeUnit.SECONDS);
      operator.destroyForcibly();
      admin.close();
      server.destroy();
    }
    System.exit(0);
  }

  private static String name(int i) {
    return String.format("vs-%05d", i);
  }

  private static String pool(int p) {
    return """
        apiVersion: kubelvs.io/v1alpha1
        kind: DirectorPool
        metadata:
          name: pool-%d
        spec:
          nodeSelector:
            matchLabels:
              kubelvs.io/pool: pool-%d
          interface:
            name: eth0
          vrrp:
            version: 2
            advertInterval: 1s
            multicastGroup: 224.0.0.18
            vridRange:
              first: 1
              last: 200
            priorities:
              highest: 150
              step: 2
          vipRanges:
            - 198.19.%d.0/20
        """
        .formatted(p, p, p * 16);
  }

  private static String service(int i, int pools, int weight) {
    return """
        apiVersion: kubelvs.io/v1alpha1
        kind: VirtualService
        metadata:
          name: %s
          namespace: bench
        spec:
          poolName: pool-%d
          ports:
            - name: http
              port: 80
              protocol: TCP
          scheduler: rr
          forwarding: DR
          realServers:
            - address: 198.18.%d.%d
              port: 80
              weight: %d
        """
        .formatted(name(i), i % pools, 200 + i / 250, 1 + i % 250, weight);
  }

  /** The sets and Directors as a watch sees them, and which Director carries what. */
  static final class Carried {
    /** Per service: the set holding it. */
    private final Map<String, String> setOf = new ConcurrentHashMap<>();
    /** Per service and weight: the first set generation seen with that weight. */
    private final Map<String, Long> introduced = new ConcurrentHashMap<>();
    /** Per set: per Director naming it, the generation named. */
    private final Map<String, Map<String, Long>> named = new ConcurrentHashMap<>();

    ResourceEventHandler<VirtualServerSet> sets() {
      return new Handler<>(
          set -> {
            if (set.getSpec() == null || set.getSpec().virtualServers() == null) {
              return;
            }
            long generation = set.getMetadata().getGeneration();
            for (VirtualServer vs : set.getSpec().virtualServers()) {
              if (vs.owner() != null && vs.realServers() != null && !vs.realServers().isEmpty()) {
                String key = vs.owner().namespace() + "/" + vs.owner().name();
                setOf.put(key, set.getMetadata().getName());
                introduced.merge(
                    key + "=" + vs.realServers().get(0).weight(), generation, Math::min);
              }
            }
          });
    }

    ResourceEventHandler<Director> directors() {
      return new Handler<>(
          d -> {
            if (d.getSpec() == null || d.getSpec().vrrpInstances() == null) {
              return;
            }
            for (VrrpInstance i : d.getSpec().vrrpInstances()) {
              if (i.virtualServerSet() != null) {
                named
                    .computeIfAbsent(i.virtualServerSet().name(), k -> new ConcurrentHashMap<>())
                    .put(d.getMetadata().getName(), i.virtualServerSet().generation());
              }
            }
          });
    }

    /** Services in a set some Director names. */
    long services() {
      return setOf.values().stream().filter(named::containsKey).count();
    }

    /** The Directors whose instances name the service's set. */
    Set<String> holders(String service) {
      String set = setOf.get(service);
      return set == null ? Set.of() : named.getOrDefault(set, Map.of()).keySet();
    }

    /**
     * How many of them carry the weight: all, once a generation of the service's set holds it (an
     * agent runs each new generation of the sets its Director names), else none.
     */
    long holding(String service, int weight) {
      return introduced.containsKey(service + "=" + weight) ? holders(service).size() : 0;
    }
  }

  /** Every add and update to one consumer. */
  record Handler<T>(java.util.function.Consumer<T> seen) implements ResourceEventHandler<T> {
    @Override
    public void onAdd(T o) {
      seen.accept(o);
    }

    @Override
    public void onUpdate(T before, T o) {
      seen.accept(o);
    }

    @Override
    public void onDelete(T o, boolean unknown) {}
  }
}
