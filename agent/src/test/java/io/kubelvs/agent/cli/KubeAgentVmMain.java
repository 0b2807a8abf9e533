package io.kubelvs.agent.cli;

import static io.kubelvs.agent.cli.VmSteps.count;
import static io.kubelvs.agent.cli.VmSteps.failed;
import static io.kubelvs.agent.cli.VmSteps.hasAddress;
import static io.kubelvs.agent.cli.VmSteps.sh;
import static io.kubelvs.agent.cli.VmSteps.step;
import static io.kubelvs.agent.cli.VmSteps.summary;
import static io.kubelvs.agent.cli.VmSteps.table;
import static io.kubelvs.agent.cli.VmSteps.weightOf;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubelvs.agent.kube.KubeMock;
import io.kubelvs.api.v1alpha1.Condition;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.RealServerHealth;
import io.kubelvs.api.v1alpha1.VirtualServerStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code kubelvs-agent run --node d1} inside hack/vm's VM (real ip_vs, real sockets), following a
 * Director on fabric8's mock API server, through an outage of that server and a restart without it
 * (run by {@link KubeAgentInVmTest}).
 *
 * <ol>
 *   <li>The Director's VIP and real servers are programmed; its status says MASTER, both backends
 *       healthy, Applied and Ready; a VrrpMaster Event is there.
 *   <li>The API server stops. For 60 s the VIP and the IPVS table do not change at all (polled
 *       every second), and the agent's CPU stays near what it used with the API server up: no error
 *       loop.
 *   <li>Still without the API server, web2 fails its check: the agent removes it (the checks run
 *       on). The API server returns: the status shows web2 down within seconds, and an Event says
 *       so.
 *   <li>With the API server away again, the agent stops (SIGTERM: VIP handed over) and starts: it
 *       comes up from the Director saved on the node and serves the VIP with the same table.
 * </ol>
 */
public final class KubeAgentVmMain {
  private static final String NODE = "d1";
  private static final String NAMESPACE = "kubelvs-system";
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private KubeAgentVmMain() {}

  public static void main(String[] args) {
    try {
      run();
    } catch (Throwable e) {
      // The mock server's threads would keep the VM up until its timeout.
      e.printStackTrace(System.out);
      failed();
      System.exit(summary("kube-agent"));
    }
  }

  private static void run() throws Exception {
    sh(
        "ip link add d0 type dummy && ip link set d0 up multicast on"
            + " && ip addr add 198.18.0.1/24 dev d0 && ip addr add 198.18.0.2/24 dev d0");
    AtomicInteger web2Status = new AtomicInteger(200);
    HttpServer web1 = web("198.18.0.1", new AtomicInteger(200));
    HttpServer web2 = web("198.18.0.2", web2Status);
    KubeMock api = new KubeMock();
    // The test's own client waits long: under the VM's emulation a first request takes seconds.
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder(api.config()).withRequestTimeout(120_000).build())
            .build();
    Path dir = Files.createTempDirectory("kube-agent");
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, kubeconfig(api.port()));
    Path log = dir.resolve("agent.log");
    KubeMock.createSecret(client, NAMESPACE, "lab-vrrp-auth", "password", "s3cret");
    client.resource(JSON.unmarshal(DIRECTOR, Director.class)).create();

    Process agent = startAgent(dir, kubeconfig, log);
    try {
      step(
          "the Director's VIP and both real servers are programmed",
          () ->
              vip()
                  && weightOf("198.18.0.1:80").equals("1")
                  && weightOf("198.18.0.2:80").equals("1"));
      step(
          "the status says MASTER, both backends healthy, Applied and Ready",
          () ->
              status(client)
                  .map(
                      d ->
                          "lab-51".equals(d.getStatus().masterOf())
                              && Long.valueOf(1).equals(d.getStatus().observedGeneration())
                              && healthy(d, "198.18.0.1")
                              && healthy(d, "198.18.0.2")
                              && conditionTrue(d, "Applied")
                              && conditionTrue(d, "Ready"))
                  .orElse(false));
      step("a VrrpMaster Event was recorded", () -> events(client, "VrrpMaster") > 0);

      String table = table();
      long baselineStart = cpuTicks(agent);
      Thread.sleep(30_000);
      double baselinePct = cpuPct(agent, baselineStart, 30);

      api.stop();
      long outageStart = cpuTicks(agent);
      boolean unchanged = true;
      for (int second = 0; second < 60; second++) {
        Thread.sleep(1_000);
        unchanged &= vip() && table().equals(table);
      }
      double outagePct = cpuPct(agent, outageStart, 60);
      boolean stable = unchanged;
      System.out.printf(
          "agent CPU: %.2f%% with the API server up (30 s), %.2f%% during its outage (60 s)%n",
          baselinePct, outagePct);
      step("60 s without the API server: the VIP and the IPVS table did not change", () -> stable);
      step(
          "and no error loop: CPU during the outage at most twice that with the API up, + 5 points",
          () -> outagePct <= 2 * baselinePct + 5);

      web2Status.set(503);
      step(
          "without the API server the checks run on: web2 failing is removed",
          () ->
              vip()
                  && weightOf("198.18.0.2:80").isEmpty()
                  && weightOf("198.18.0.1:80").equals("1"));

      long back = System.nanoTime();
      api.restart();
      step(
          "the API server back, the status shows web2 down",
          () ->
              status(client)
                  .map(d -> !healthy(d, "198.18.0.2") && healthy(d, "198.18.0.1"))
                  .orElse(false));
      double catchUp = (System.nanoTime() - back) / 1e9;
      System.out.printf("status caught up %.1f s after the API server's return%n", catchUp);
      step("within 30 s", () -> catchUp <= 30);
      step("and an Event says so", () -> events(client, "RealServerDown") > 0);

      web2Status.set(200);
      step("web2 back in the table", () -> weightOf("198.18.0.2:80").equals("1"));
      String before = table();
      api.stop();
      agent.destroy(); // SIGTERM: planned handover
      boolean ended = agent.waitFor(90, TimeUnit.SECONDS);
      step("SIGTERM stops the agent and hands the VIP over", () -> ended && !vip());
      agent = startAgent(dir, kubeconfig, log);
      step(
          "restarted with the API server away, it serves the VIP from the saved Director",
          () -> vip() && table().equals(before));
      step("and says it is ready", () -> get("http://127.0.0.1:9650/readyz").equals("200 ok"));
      step(
          "from the node's disk",
          () -> count(log, "director applied from the node's disk name=d1 generation=1") == 1);
    } finally {
      agent.destroyForcibly();
      agent.waitFor(30, TimeUnit.SECONDS);
      web1.stop(0);
      web2.stop(0);
      client.close();
      api.close();
      System.out.println("--- agent log:\n" + Files.readString(log));
    }
    System.exit(summary("kube-agent"));
  }

  private static final String DIRECTOR =
      """
      apiVersion: kubelvs.io/v1alpha1
      kind: Director
      metadata:
        name: d1
      spec:
        nodeName: d1
        poolName: lab
        vrrpInstances:
          - name: lab-51
            interface:
              name: d0
            vrid: 51
            priority: 150
            version: 2
            advertInterval: 1s
            multicastGroup: 224.0.0.18
            authentication:
              passwordSecretRef:
                name: lab-vrrp-auth
                key: password
            vips:
              - 198.18.0.50
            virtualServers:
              - name: lab/web/80-tcp
                owner:
                  namespace: lab
                  name: web
                  generation: 1
                vip: 198.18.0.50
                port: 80
                protocol: TCP
                scheduler: rr
                realServers:
                  - address: 198.18.0.1
                    port: 80
                    weight: 1
                    forwarding: DR
                  - address: 198.18.0.2
                    port: 80
                    weight: 1
                    forwarding: DR
                healthCheck:
                  httpGet:
                    path: /
                    statusCodes: ["200"]
                  interval: 1s
                  connectTimeout: 1s
                  retries: 1
                  retryDelay: 1s
      """;

  private static String kubeconfig(int port) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
          - name: mock
            cluster:
              server: http://127.0.0.1:%d
        users:
          - name: agent
            user:
              token: lab
        contexts:
          - name: mock
            context:
              cluster: mock
              user: agent
              namespace: %s
        current-context: mock
        """
        .formatted(port, NAMESPACE);
  }

  private static HttpServer web(String address, AtomicInteger status) throws IOException {
    HttpServer web = HttpServer.create(new InetSocketAddress(address, 80), 16);
    web.createContext(
        "/",
        exchange -> {
          byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
          exchange.sendResponseHeaders(status.get(), body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    web.start();
    return web;
  }

  private static Process startAgent(Path dir, Path kubeconfig, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(
        List.of(
            "run",
            "--node",
            NODE,
            "--namespace",
            NAMESPACE,
            "--state-dir",
            dir.resolve("state").toString(),
            "--http",
            "127.0.0.1:9650"));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    return builder.start();
  }

  private static Optional<Director> status(KubernetesClient client) {
    try {
      return Optional.ofNullable(client.resources(Director.class).withName(NODE).get())
          .filter(d -> d.getStatus() != null);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static boolean healthy(Director director, String address) {
    List<VirtualServerStatus> servers = director.getStatus().virtualServers();
    if (servers == null) {
      return false;
    }
    return servers.stream()
        .filter(vs -> vs.name().equals("lab/web/80-tcp") && vs.realServers() != null)
        .flatMap(vs -> vs.realServers().stream())
        .filter(rs -> address.equals(rs.address()))
        .anyMatch(RealServerHealth::healthy);
  }

  private static boolean conditionTrue(Director director, String type) {
    List<Condition> conditions = director.getStatus().conditions();
    return conditions != null
        && conditions.stream()
            .anyMatch(c -> c.type().equals(type) && c.status() == Condition.ConditionStatus.True);
  }

  private static long events(KubernetesClient client, String reason) {
    try {
      return client.events().v1().events().inNamespace(NAMESPACE).list().getItems().stream()
          .map(Event::getReason)
          .filter(reason::equals)
          .count();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private static long cpuTicks(Process process) throws IOException {
    String[] fields = Files.readString(Path.of("/proc/" + process.pid() + "/stat")).split(" ");
    return Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
  }

  private static double cpuPct(Process process, long ticksBefore, int seconds) throws IOException {
    long hz = Long.parseLong(sh("getconf CLK_TCK").trim());
    return 100.0 * (cpuTicks(process) - ticksBefore) / hz / seconds;
  }

  private static String get(String url) {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                  HttpResponse.BodyHandlers.ofString());
      return response.statusCode() + " " + response.body().trim();
    } catch (IOException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e.toString();
    }
  }

  private static boolean vip() {
    return hasAddress("d0", "198.18.0.50");
  }
}
