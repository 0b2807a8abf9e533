package io.kubelvs.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubelvs.api.v1alpha1.Condition;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.VirtualService;
import io.kubelvs.api.v1alpha1.VirtualServiceStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The whole chain inside hack/vm's VM (real ip_vs, real sockets, real processes), run by {@link
 * LocalUpInVmTest}: fabric8's mock API server on loopback, and {@code hack/local-up.sh} against it
 * as a developer runs it against a cluster: the operator's and two agents' runnable jars as
 * processes, each agent in a network namespace of its own acting as a director node, web servers, a
 * sorry server and a client in further namespaces, the CRDs and samples/seed applied.
 *
 * <ol>
 *   <li>seed-web becomes Ready with a master node and 2/2 backends; the client's requests to the
 *       VIP alternate between web1 and web2 (rr, direct routing through the master);
 *   <li>the master's agent stops (SIGTERM, planned handover): the other node is master in
 *       VirtualService.status, and the requests are still served;
 *   <li>it starts again and takes the VIP back (its priority is higher, preempt on);
 *   <li>it is killed (SIGKILL): the other node holds the VIP, requests are still served, and once
 *       the killed agent's heartbeat Lease ran out the status names the other node alone;
 *   <li>{@code hack/local-up.sh down} removes the processes, namespaces, Nodes and objects.
 * </ol>
 *
 * Prints {@code STEP name ok|FAILED} per step and {@code local-up: N passed, M failed} last.
 */
public final class LocalUpVmMain {
  private static final Duration WAIT = Duration.ofSeconds(180);
  private static final String NAMESPACE = "default";
  private static final String SERVICE = "seed-web";
  private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
  private static final Path SCRIPT = REPO.resolve("hack/local-up.sh");
  private static final long STARTED = System.nanoTime();

  private static int passed;
  private static int failed;
  private static Map<String, String> environment;

  private LocalUpVmMain() {}

  public static void main(String[] args) {
    int status;
    try {
      status = run();
    } catch (Throwable e) {
      // The mock server's threads would keep the VM up until its timeout.
      e.printStackTrace(System.out);
      failed++;
      status = 1;
    }
    System.out.println("local-up: " + passed + " passed, " + failed + " failed");
    System.exit(status == 0 && failed == 0 && passed > 0 ? 0 : 1);
  }

  private static int run() throws Exception {
    Path work = Files.createTempDirectory("local-up-e2e");
    Path kubeconfig = work.resolve("kubeconfig");
    Path stateDir = work.resolve("state");
    try (MockApiServer api = new MockApiServer(REPO.resolve("crds"));
        KubernetesClient client = api.client()) {
      Files.writeString(kubeconfig, api.kubeconfig());
      environment =
          Map.of("KUBECONFIG", kubeconfig.toString(), "KUBELVS_LOCAL_UP_DIR", stateDir.toString());
      log("mock API server on 127.0.0.1:" + api.port());
      try {
        scenario(client, stateDir);
      } finally {
        Result down = script(List.of("down"), 300);
        System.out.println(down.output());
        check("hack/local-up.sh down ends with 0", down.exitCode() == 0);
        check("down removed the lab's namespaces", !lines("ip netns list").contains("klup"));
        check("and its state directory", !Files.exists(stateDir));
        check("and the Nodes and Directors it made", noneLeft(client));
      }
    }
    return 0;
  }

  private static void scenario(KubernetesClient client, Path stateDir) throws Exception {
    Result up = script(List.of("up", "--timeout", "400"), 600);
    System.out.println(up.output());
    check(
        "hack/local-up.sh up ends with 0: seed-web has a master and 2/2 backends",
        up.exitCode() == 0);
    if (up.exitCode() != 0) {
      dumpLogs(stateDir);
      return;
    }
    String master = status(client).map(VirtualServiceStatus::masterNode).orElse("");
    step(
        "VirtualService.status: Ready, master " + master + ", backends 2/2",
        () -> status(client).map(s -> readyWithMaster(s, master)).orElse(false));
    step("the master node holds the VIP in its namespace", () -> holdsVip(stateDir, master));
    check("the client's requests alternate between web1 and web2", alternate(requests(6)));

    String other = master.equals("director-1") ? "director-2" : "director-1";
    long handover = System.nanoTime();
    check("SIGTERM to " + master + "'s agent", script(agent(master, "stop"), 60).exitCode() == 0);
    step(
        "after SIGTERM the master in VirtualService.status is " + other,
        () -> status(client).map(s -> readyWithMaster(s, other)).orElse(false));
    log(String.format("master moved in the status %.1f s after SIGTERM", seconds(handover)));
    step("and " + other + " holds the VIP", () -> holdsVip(stateDir, other));
    check("requests are still served by web1 and web2", alternate(requests(4)));

    check("start " + master + "'s agent again", script(agent(master, "start"), 60).exitCode() == 0);
    step(
        master + " takes the master role back (higher priority, preempt)",
        () -> status(client).map(s -> readyWithMaster(s, master)).orElse(false));
    step("and holds the VIP", () -> holdsVip(stateDir, master) && !holdsVip(stateDir, other));

    long crash = System.nanoTime();
    check("SIGKILL to " + master + "'s agent", script(agent(master, "kill"), 60).exitCode() == 0);
    step("after SIGKILL " + other + " holds the VIP", () -> holdsVip(stateDir, other));
    log(String.format("%s took the VIP %.1f s after SIGKILL", other, seconds(crash)));
    check("requests are still served by web1 and web2", alternate(requests(4)));
    // A killed agent writes nothing: its Director.status keeps its last claim (MASTER). Once its
    // heartbeat Lease runs out (20 s) the operator no longer counts it: the other node is the
    // master alone, the service Ready, and Degraded says which agent went silent.
    step(
        "VirtualService.status names " + other + " alone as master once the Lease ran out",
        () ->
            status(client)
                .map(
                    s ->
                        readyWithMaster(s, other)
                            && s.conditions().stream()
                                .anyMatch(
                                    c ->
                                        c.type().equals("Degraded")
                                            && "AgentSilent".equals(c.reason())
                                            && c.message().contains(master)))
                .orElse(false));
    log(
        String.format(
            "%.1f s after SIGKILL: masterNode=%s",
            seconds(crash), status(client).map(VirtualServiceStatus::masterNode).orElse("?")));
    System.out.println(script(List.of("status"), 60).output());
  }

  private static boolean readyWithMaster(VirtualServiceStatus status, String master) {
    return master != null
        && !master.isEmpty()
        && master.equals(status.masterNode())
        && "2/2".equals(status.backends())
        && status.conditions() != null
        && status.conditions().stream()
            .anyMatch(
                c -> c.type().equals("Ready") && c.status() == Condition.ConditionStatus.True);
  }

  private static Optional<VirtualServiceStatus> status(KubernetesClient client) {
    try {
      return Optional.ofNullable(
              client.resources(VirtualService.class).inNamespace(NAMESPACE).withName(SERVICE).get())
          .map(VirtualService::getStatus);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static boolean noneLeft(KubernetesClient client) {
    return client.nodes().list().getItems().isEmpty()
        && client.resources(Director.class).list().getItems().isEmpty()
        && client.resources(VirtualService.class).inAnyNamespace().list().getItems().isEmpty();
  }

  /** Whether the lab namespace of director node {@code node} (director-N: dN) has the VIP. */
  private static boolean holdsVip(Path stateDir, String node) {
    try {
      String prefix = Files.readString(stateDir.resolve("prefix")).trim();
      String ns = prefix + "-d" + node.substring(node.lastIndexOf('-') + 1);
      return lines("ip -n " + ns + " -4 -o addr show dev eno16777736").contains(" 198.18.53.50/");
    } catch (IOException e) {
      return false;
    }
  }

  private static List<String> requests(int count) throws Exception {
    Result r = script(List.of("request", Integer.toString(count)), 60);
    List<String> answers =
        r.output().isEmpty() ? List.of() : List.of(r.output().strip().split("\\s*\n\\s*"));
    log("client -> http://198.18.53.50/ x" + count + ": " + answers);
    return answers;
  }

  /** Every answer is web1 or web2, and no two in a row are the same (round robin). */
  private static boolean alternate(List<String> answers) {
    for (int i = 0; i < answers.size(); i++) {
      String a = answers.get(i);
      if (!a.equals("web1") && !a.equals("web2")) {
        return false;
      }
      if (i > 0 && a.equals(answers.get(i - 1))) {
        return false;
      }
    }
    return answers.size() >= 2;
  }

  private static List<String> agent(String node, String action) {
    return List.of("agent", node, action);
  }

  private record Result(int exitCode, String output) {}

  private static Result script(List<String> args, int timeoutSeconds) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    long start = System.nanoTime();
    Process process = builder.start();
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return new Result(124, output + "\n(timed out)");
    }
    log(
        String.format(
            "local-up.sh %s: exit %d after %.1f s",
            String.join(" ", args), process.exitValue(), seconds(start)));
    return new Result(process.exitValue(), output.strip());
  }

  private static String lines(String script) {
    try {
      ProcessBuilder builder = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true);
      builder.environment().putAll(environment);
      Process p = builder.start();
      try (InputStream in = p.getInputStream()) {
        String out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run: " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + script, e);
    }
  }

  private static void dumpLogs(Path stateDir) throws IOException {
    Path logs = stateDir.resolve("logs");
    if (!Files.isDirectory(logs)) {
      return;
    }
    try (Stream<Path> files = Files.list(logs)) {
      for (Path log : files.sorted().toList()) {
        List<String> all = Files.readAllLines(log);
        System.out.println("--- " + log.getFileName() + " (last 40 lines)");
        all.subList(Math.max(0, all.size() - 40), all.size()).forEach(System.out::println);
      }
    }
  }

  /** Waits up to 180 s for {@code condition}; counts and prints the outcome. */
  private static void step(String name, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        check(name, false);
        System.out.println(lines("bash " + SCRIPT + " status"));
        return;
      }
      Thread.sleep(1_000);
    }
    check(name, true);
  }

  private static void check(String name, boolean ok) {
    if (ok) {
      passed++;
    } else {
      failed++;
    }
    log("STEP " + name + (ok ? " ok" : " FAILED"));
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static void log(String line) {
    System.out.printf("[%6.1fs] %s%n", seconds(STARTED), line);
  }
}
