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
import io.kubelvs.api.v1alpha1.VirtualService;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
 *       one at a time, after 5 that are not counted (warm-up); also until the first of them does;
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
        List.of("directorpools.kubelvs.io.yaml", "directors.kubelvs.io.yaml", "virtualservices.kubelvs.io.yaml")) {
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

    // What the Directors carry: per VirtualService, per Director, the weight of its real server.
    Map<String, Map<String, Integer>> carried = new ConcurrentHashMap<>();
    admin
        .resources(Director.class)
        .inform(
            new ResourceEventHandler<Director>() {
              @Override
              public void onAdd(Director d) {
                record(d);
              }

              @Override
              public void onUpdate(Director before, Director d) {
                record(d);
              }

              @Override
              public void onDelete(Director d, boolean unknown) {}

              private void record(Director d) {
                if (d.getSpec() == null) {
                  return;
                }
                for (VirtualServer vs : d.getSpec().allVirtualServers()) {
                  if (vs.owner() != null && vs.realServers() != null && !vs.realServers().isEmpty()) {
                    carried
                        .computeIfAbsent(
                            vs.owner().namespace() + "/" + vs.owner().name(),
                            k -> new ConcurrentHashMap<>())
                        .put(d.getMetadata().getName(), vs.realServers().get(0).weight());
                  }
                }
              }
            });

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
      while (carried.size() < services) {
        if (!operator.isAlive()) {
          throw new IllegalStateException("the operator exited; see operator/target/bench-operator.log");
        }
        if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(10)) {
          throw new IllegalStateException(
              "not converged in 10 minutes: " + carried.size() + " of " + services);
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
      List<Double> firstLatencies = new ArrayList<>();
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
        Map<String, Integer> byDirector = carried.get(key);
        holders = Math.max(holders, byDirector.size());
        long t0 = System.nanoTime();
        admin.resource(changed).update();
        double first = Double.NaN;
        while (byDirector.values().stream().anyMatch(w -> w < weight)) {
          if (Double.isNaN(first) && byDirector.values().stream().anyMatch(w -> w >= weight)) {
            first = (System.nanoTime() - t0) / 1e6;
          }
          if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(60)) {
            throw new IllegalStateException("change " + t + " of " + key + " not in 60 s");
          }
          Thread.sleep(0, 200_000);
        }
        double all = (System.nanoTime() - t0) / 1e6;
        if (t >= 0) {
          latencies.add(all);
          firstLatencies.add(Double.isNaN(first) ? all : first);
        }
        Thread.sleep(100);
      }
      latencies.sort(null);
      firstLatencies.sort(null);
      double p50 = latencies.get((int) Math.ceil(0.50 * latencies.size()) - 1);
      double p99 = latencies.get((int) Math.ceil(0.99 * latencies.size()) - 1);
      double firstP99 = firstLatencies.get((int) Math.ceil(0.99 * firstLatencies.size()) - 1);
      long rssKib =
          Files.readAllLines(Path.of("/proc/" + operator.pid() + "/status")).stream()
              .filter(l -> l.startsWith("VmRSS:"))
              .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
              .findFirst()
              .orElse(0);
      System.out.printf(
          "changes: %d, one at a time, until all of the service's %d Directors carry it: p50 %.0f"
              + " ms, p99 %.0f ms, max %.0f ms; until the first does: p50 %.0f ms, p99 %.0f ms%n",
          changes,
          holders,
          p50,
          p99,
          latencies.get(latencies.size() - 1),
          firstLatencies.get((int) Math.ceil(0.50 * firstLatencies.size()) - 1),
          firstP99);
      // The operator's own share against the API server's: its passes that wrote Directors during
      // the changes log how long they planned (planMs) and how long the Director writes took to be
      // answered (directorWriteMs).
      List<Long> planMs = new ArrayList<>();
      List<Long> writeMs = new ArrayList<>();
      Pattern pass = Pattern.compile("directorsUpdated=([0-9]+).* planMs=([0-9]+) directorWriteMs=([0-9]+)");
      Files.readAllLines(operatorLog).stream()
          .skip(logLinesBeforeChanges)
          .map(pass::matcher)
          .filter(m -> m.find() && !m.group(1).equals("0"))
          .forEach(
              m -> {
                planMs.add(Long.parseLong(m.group(2)));
                writeMs.add(Long.parseLong(m.group(3)));
              });
      if (planMs.isEmpty()) {
        throw new IllegalStateException("no pass that wrote Directors in " + operatorLog);
      }
      planMs.sort(null);
      writeMs.sort(null);
      long planP99 = planMs.get((int) Math.ceil(0.99 * planMs.size()) - 1);
      long writeP99 = writeMs.get((int) Math.ceil(0.99 * writeMs.size()) - 1);
      System.out.printf(
          "operator passes that wrote Directors: %d; planning p50 %d ms, p99 %d ms;"
              + " Director writes answered p50 %d ms, p99 %d ms%n",
          planMs.size(),
          planMs.get((int) Math.ceil(0.50 * planMs.size()) - 1),
          planP99,
          writeMs.get((int) Math.ceil(0.50 * writeMs.size()) - 1),
          writeP99);
      System.out.printf(
          "RESULT converge_s=%.1f p50_change_ms=%.0f p99_change_ms=%.0f rss_mib=%d"
              + " p99_plan_ms=%d p99_director_write_ms=%d p99_first_director_ms=%.0f%n",
          convergeS, p50, p99, rssKib / 1024, planP99, writeP99, firstP99);
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
}
