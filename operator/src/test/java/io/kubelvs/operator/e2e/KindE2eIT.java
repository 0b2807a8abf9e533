package io.kubelvs.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.dajudge.kindcontainer.KindContainer;
import com.github.dockerjava.api.model.Capability;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubelvs.api.deploy.Manifests;
import io.kubelvs.api.v1alpha1.VirtualService;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The whole chain on a kind cluster (Testcontainers' kindcontainer): the images built with Jib and
 * imported into the kind node, deploy/overlays/kind installed with {@code kubectl apply -k}, the
 * seed sample applied; the kind node's DaemonSet agent and a second director beside it become the
 * seed's two directors, {@code kubectl get vs} shows the VIP, its master and the backends, and when
 * the master's agent stops the other node becomes master.
 *
 * <p>kindcontainer runs a single-node cluster, so the second director is the agent's image run as a
 * container of its own on the kind node's Docker network (one L2 segment, so VRRP multicast reaches
 * both), registered as Node {@code director-2} with a heartbeat, as a node without a kubelet of
 * ours would be, and tainted so that no pod is scheduled onto it. It talks to the API server with
 * the kubelvs-agent ServiceAccount's token, i.e. through deploy/'s RBAC.
 *
 * <p>Needs a Docker engine, network access for the base images (eclipse-temurin, alpine) and a
 * Docker host kernel with the ip_vs module; skipped, with a message, where no Docker engine runs.
 */
class KindE2eIT {
  private static final String NAMESPACE = "kubelvs-system";
  private static final String SECOND = "director-2";
  private static final String TAG = "dev";
  private static final Duration SLOW = Duration.ofMinutes(5);
  private static final String NO_DOCKER =
      "skipped: no Docker engine reachable; the kind e2e runs where Docker runs";

  @Test
  void theSeedRunsOnTwoDirectorsAndTheMasterMovesWhenItsAgentStops() throws Exception {
    boolean docker = DockerClientFactory.instance().isDockerAvailable();
    if (!docker) {
      // Surefire keeps an assumption's message in its XML report only: say it on the console.
      System.err.println("KindE2eIT " + NO_DOCKER);
    }
    Assumptions.assumeTrue(docker, NO_DOCKER);
    Path repo = Manifests.repo();
    buildImages(repo);
    Path agentImage = repo.resolve("agent/target/kubelvs-agent-image.tar");
    Path operatorImage = repo.resolve("operator/target/kubelvs-operator-image.tar");

    ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor();
    try (Network network = Network.newNetwork();
        KindContainer<?> kind = new KindContainer<>().withNetwork(network)) {
      kind.start();
      // The node shares the Docker host's kernel: IPVS must be there (or loadable from here).
      var ipvs = kind.execInContainer("sh", "-c", "test -d /sys/module/ip_vs || modprobe ip_vs");
      assertThat(ipvs.getExitCode())
          .as(
              "the Docker host's kernel has no ip_vs module: modprobe ip_vs on the Docker host (%s)",
              ipvs.getStderr())
          .isZero();
      for (Path image : List.of(agentImage, operatorImage)) {
        String inNode = "/tmp/" + image.getFileName();
        kind.copyFileToContainer(MountableFile.forHostPath(image), inNode);
        exec(kind, "ctr", "-n", "k8s.io", "images", "import", inNode);
      }
      Path kubeconfig = Files.createTempFile("kind", ".kubeconfig");
      Files.writeString(kubeconfig, kind.getKubeconfig());
      try (KubernetesClient client =
          new KubernetesClientBuilder()
              .withConfig(Config.fromKubeconfig(kind.getKubeconfig()))
              .build()) {
        String kindNode = client.nodes().list().getItems().get(0).getMetadata().getName();
        kubectl(kubeconfig, "label", "node", kindNode, "kubelvs.io/pool=seed");

        kubectl(kubeconfig, "apply", "-k", repo.resolve("deploy/overlays/kind").toString());
        kubectl(
            kubeconfig, "wait", "--for=condition=Established", "--timeout=120s", "crd", "--all");
        kubectl(
            kubeconfig,
            "-n",
            NAMESPACE,
            "rollout",
            "status",
            "deployment/kubelvs-operator",
            "--timeout=300s");
        kubectl(kubeconfig, "apply", "-k", repo.resolve("samples/seed").toString());
        // The seed's interface is a VMware NIC name; on kind both directors have eth0.
        kubectl(
            kubeconfig,
            "patch",
            "directorpool",
            "seed",
            "--type=merge",
            "-p",
            "{\"spec\":{\"interface\":{\"name\":\"eth0\"}}}");
        // The second director is the one to fail: it is the master while it runs.
        kubectl(
            kubeconfig,
            "-n",
            "default",
            "patch",
            "virtualservice",
            "seed-web",
            "--type=merge",
            "-p",
            "{\"spec\":{\"preferredNode\":\"" + SECOND + "\"}}");

        try (GenericContainer<?> second =
            secondDirector(kind, network, agentImage, internalAgentKubeconfig(kind))) {
          second.start();
          String address =
              second.getContainerInfo().getNetworkSettings().getNetworks().values().stream()
                  .findFirst()
                  .orElseThrow()
                  .getIpAddress();
          registerNode(client, address);
          heartbeat.scheduleAtFixedRate(
              () -> {
                try {
                  beat(client);
                } catch (RuntimeException e) {
                  // The next beat tries again; one missed beat is far from the 40 s grace.
                  System.err.println("KindE2eIT: heartbeat of " + SECOND + " failed: " + e);
                }
              },
              0,
              10,
              TimeUnit.SECONDS);
          kubectl(
              kubeconfig,
              "-n",
              NAMESPACE,
              "rollout",
              "status",
              "daemonset/kubelvs-agent",
              "--timeout=300s");

          Row row = await(() -> row(kubeconfig), r -> r.master().equals(SECOND), SLOW);
          assertThat(row.vip()).isEqualTo("172.16.53.50");
          assertThat(row.port()).isEqualTo("80");
          assertThat(row.protocol()).isEqualTo("TCP");
          assertThat(row.backends()).matches("[0-2]/2");

          // SIGTERM: the agent hands its VIP over; the kind node's agent becomes master.
          second.getDockerClient().stopContainerCmd(second.getContainerId()).withTimeout(30).exec();
          Row after =
              await(
                  () -> row(kubeconfig), r -> r.master().equals(kindNode), Duration.ofSeconds(60));
          assertThat(after.vip()).isEqualTo("172.16.53.50");
          VirtualService vs =
              client
                  .resources(VirtualService.class)
                  .inNamespace("default")
                  .withName("seed-web")
                  .get();
          assertThat(vs.getStatus().masterNode()).isEqualTo(kindNode);
        }
      }
    } finally {
      heartbeat.shutdownNow();
    }
  }

  /** Both images as tars (docker save format), built from the module's classes by Jib. */
  private static void buildImages(Path repo) throws IOException, InterruptedException {
    run(
        repo,
        List.of(
            repo.resolve("mvnw").toString(),
            "-B",
            "-q",
            "-pl",
            "agent,operator",
            "-am",
            "package",
            "jib:buildTar",
            "-DskipTests",
            "-DskipITs",
            "-Dspotless.check.skip",
            "-Dkubelvs.image.tag=" + TAG));
  }

  private static GenericContainer<?> secondDirector(
      KindContainer<?> kind, Network network, Path agentImage, String kubeconfig)
      throws IOException {
    try (InputStream in = Files.newInputStream(agentImage)) {
      kind.getDockerClient().loadImageCmd(in).exec();
    }
    GenericContainer<?> agent =
        new GenericContainer<>(DockerImageName.parse("ghcr.io/kubelvs/kubelvs-agent:" + TAG));
    return agent
        .withNetwork(network)
        .withCopyToContainer(Transferable.of(kubeconfig), "/etc/kubelvs/kubeconfig")
        .withEnv("KUBECONFIG", "/etc/kubelvs/kubeconfig")
        .withCommand("run", "--node", SECOND, "--namespace", NAMESPACE, "--http", ":9650")
        .withCreateContainerCmdModifier(
            cmd ->
                cmd.getHostConfig()
                    .withCapDrop(Capability.ALL)
                    .withCapAdd(Capability.NET_ADMIN, Capability.NET_RAW));
  }

  /** The kubelvs-agent ServiceAccount's kubeconfig, with the server as seen from the network. */
  private static String internalAgentKubeconfig(KindContainer<?> kind) {
    Pattern server = Pattern.compile("server: *\"?([^\"\\s]+)\"?");
    Matcher internal = server.matcher(kind.getInternalKubeconfig());
    assertThat(internal.find()).isTrue();
    String account = kind.getServiceAccountKubeconfig(NAMESPACE, "kubelvs-agent");
    return server
        .matcher(account)
        .replaceAll("server: " + Matcher.quoteReplacement(internal.group(1)));
  }

  private static void registerNode(KubernetesClient client, String address) {
    client
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(SECOND)
                .addToLabels("kubelvs.io/pool", "seed")
                .endMetadata()
                .withNewSpec()
                .addNewTaint()
                .withKey("kubelvs.io/external-agent")
                .withEffect("NoSchedule")
                .endTaint()
                .endSpec()
                .build())
        .create();
    client
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName(SECOND)
                .withNamespace("kube-node-lease")
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity(SECOND)
                .withLeaseDurationSeconds(40)
                .endSpec()
                .build())
        .create();
    client
        .nodes()
        .withName(SECOND)
        .editStatus(
            n -> {
              n.setStatus(
                  new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
                      .addNewAddress()
                      .withType("InternalIP")
                      .withAddress(address)
                      .endAddress()
                      .build());
              return n;
            });
  }

  /** What a kubelet does for its node: renew its Lease and say it is Ready. */
  private static void beat(KubernetesClient client) {
    String now = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    client
        .leases()
        .inNamespace("kube-node-lease")
        .withName(SECOND)
        .edit(
            l -> {
              l.getSpec().setRenewTime(ZonedDateTime.now());
              return l;
            });
    client
        .nodes()
        .withName(SECOND)
        .editStatus(
            n -> {
              n.getStatus().getConditions().removeIf(c -> c.getType().equals("Ready"));
              n.getStatus()
                  .getConditions()
                  .add(
                      new io.fabric8.kubernetes.api.model.NodeConditionBuilder()
                          .withType("Ready")
                          .withStatus("True")
                          .withReason("KubeletReady")
                          .withLastHeartbeatTime(now)
                          .withLastTransitionTime(now)
                          .build());
              return n;
            });
  }

  /** One line of {@code kubectl get vs}, by the header's column names. */
  record Row(String vip, String port, String protocol, String master, String backends) {}

  private static Row row(Path kubeconfig) {
    try {
      String out = kubectl(kubeconfig, "-n", "default", "get", "vs", "seed-web");
      String[] lines = out.strip().split("\n");
      List<String> header = List.of(lines[0].trim().split("\\s+"));
      assertThat(header)
          .containsExactly(
              "NAME", "VIP", "PORT", "PROTOCOL", "MASTER", "BACKENDS", "STATUS", "AGE");
      // kubectl prints <none> for a column without a value, so every column has a cell.
      String[] cells = lines[1].trim().split("\\s+");
      assertThat(cells).hasSameSizeAs(header);
      return new Row(cells[1], cells[2], cells[3], cells[4], cells[5]);
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static <T> T await(
      Supplier<T> read, java.util.function.Predicate<T> done, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    T last = read.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within + "; last seen " + last);
      }
      Thread.sleep(500);
      last = read.get();
    }
    return last;
  }

  private static String kubectl(Path kubeconfig, String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    return run(Manifests.repo(), command);
  }

  private static void exec(GenericContainer<?> container, String... command) throws Exception {
    var result = container.execInContainer(command);
    assertThat(result.getExitCode())
        .as("%s: %s", String.join(" ", command), result.getStderr())
        .isZero();
  }

  private static String run(Path dir, List<String> command)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("e2e", ".out");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(15, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + ": did not finish in 15 min");
      }
      String output = Files.readString(out);
      if (p.exitValue() != 0) {
        throw new AssertionError(
            String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n" + output);
      }
      return output;
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
