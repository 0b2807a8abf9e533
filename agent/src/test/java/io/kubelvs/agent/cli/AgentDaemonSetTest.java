package io.kubelvs.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.kubelvs.agent.observe.ListenAddress;
import io.kubelvs.api.deploy.Manifests;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent's pod as deploy/ installs it, in the base and in every overlay: the host's network,
 * only NET_ADMIN and NET_RAW, the one init container that may load modules, its node from the
 * downward API, its state on the node, time for the planned handover, and arguments the agent's own
 * command line accepts.
 */
class AgentDaemonSetTest {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\(([A-Z_]+)\\)");

  static List<String> kustomizations() {
    return Manifests.kustomizations();
  }

  private static DaemonSet agent(String kustomization) {
    List<HasMetadata> objects = Manifests.render(kustomization);
    List<DaemonSet> daemonSets =
        objects.stream().filter(DaemonSet.class::isInstance).map(DaemonSet.class::cast).toList();
    assertThat(daemonSets)
        .extracting(d -> d.getMetadata().getName())
        .containsExactly("kubelvs-agent");
    return daemonSets.get(0);
  }

  @ParameterizedTest
  @MethodSource("kustomizations")
  void thePodRunsOnTheHostNetworkAsACriticalNodeAgent(String kustomization) {
    DaemonSet ds = agent(kustomization);
    PodSpec pod = ds.getSpec().getTemplate().getSpec();
    assertThat(ds.getMetadata().getNamespace()).isEqualTo("kubelvs-system");
    assertThat(pod.getHostNetwork()).isTrue();
    assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
    assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
    assertThat(pod.getServiceAccountName()).isEqualTo("kubelvs-agent");
    assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);
    assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isEqualTo(1);
    assertThat(pod.getTolerations()).isNotEmpty();
    assertThat(
            pod.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution())
        .isNotNull();
  }

  @ParameterizedTest
  @MethodSource("kustomizations")
  void theAgentHasOnlyNetAdminAndNetRaw(String kustomization) {
    PodSpec pod = agent(kustomization).getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers()).extracting(Container::getName).containsExactly("agent");
    Container agent = pod.getContainers().get(0);
    var security = agent.getSecurityContext();
    assertThat(security.getPrivileged()).isNotEqualTo(Boolean.TRUE);
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    Capabilities caps = security.getCapabilities();
    assertThat(caps.getDrop()).containsExactly("ALL");
    assertThat(caps.getAdd()).containsExactlyInAnyOrder("NET_ADMIN", "NET_RAW");
    assertThat(pod.getSecurityContext().getSysctls()).isNullOrEmpty();
    // The container runtime's default seccomp profile: with CAP_SYS_MODULE it allows loading
    // modules (the init container), and it allows raw, packet and netlink sockets.
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
  }

  @ParameterizedTest
  @MethodSource("kustomizations")
  void onlyTheInitContainerMayLoadModulesFromTheHost(String kustomization) {
    PodSpec pod = agent(kustomization).getSpec().getTemplate().getSpec();
    assertThat(pod.getInitContainers())
        .extracting(Container::getName)
        .containsExactly("load-ip-vs");
    Container init = pod.getInitContainers().get(0);
    assertThat(String.join(" ", init.getCommand())).contains("modprobe ip_vs");
    var security = init.getSecurityContext();
    assertThat(security.getPrivileged()).isNotEqualTo(Boolean.TRUE);
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getCapabilities().getAdd()).containsExactly("SYS_MODULE");
    VolumeMount modules = mount(init, "/lib/modules");
    assertThat(modules.getReadOnly()).isTrue();
    assertThat(volume(pod, modules.getName()).getHostPath().getPath()).isEqualTo("/lib/modules");
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .extracting(VolumeMount::getName)
        .doesNotContain(modules.getName());
  }

  @ParameterizedTest
  @MethodSource("kustomizations")
  void theStateDirectoryIsOnTheNode(String kustomization) throws Exception {
    PodSpec pod = agent(kustomization).getSpec().getTemplate().getSpec();
    Container agent = pod.getContainers().get(0);
    List<String> args = agent.getArgs();
    String stateDir = args.get(args.indexOf("--state-dir") + 1);
    assertThat(stateDir).isEqualTo(Main.DEFAULT_STATE_DIR.toString());
    Volume state = volume(pod, mount(agent, stateDir).getName());
    assertThat(state.getHostPath().getPath()).isEqualTo("/var/lib/kubelvs");
    assertThat(state.getHostPath().getType()).isEqualTo("DirectoryOrCreate");
    // jffi unpacks its native library into /tmp: writable although the root is read-only.
    assertThat(volume(pod, mount(agent, "/tmp").getName()).getEmptyDir()).isNotNull();
  }

  /**
   * SIGTERM hands the VIPs over: up to Master_Down_Interval (~3 s with the seed's 1 s adverts), a
   * second of slack, then the Events (2 s) and the status (5 s) are flushed: the kubelet must not
   * kill the agent before.
   */
  @ParameterizedTest
  @MethodSource("kustomizations")
  void theGracePeriodCoversThePlannedHandover(String kustomization) {
    PodSpec pod = agent(kustomization).getSpec().getTemplate().getSpec();
    assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(3 + 1 + 2 + 5 + 10);
  }

  @ParameterizedTest
  @MethodSource("kustomizations")
  void theNodeAndNamespaceComeFromTheDownwardApi(String kustomization) {
    Container agent = agent(kustomization).getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, String> fields =
        agent.getEnv().stream()
            .filter(e -> e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null)
            .collect(
                Collectors.toMap(
                    EnvVar::getName, e -> e.getValueFrom().getFieldRef().getFieldPath()));
    assertThat(fields)
        .containsEntry("NODE_NAME", "spec.nodeName")
        .containsEntry("POD_NAMESPACE", "metadata.namespace");
    List<String> args = agent.getArgs();
    assertThat(args.get(0)).isEqualTo("run");
    assertThat(args.get(args.indexOf("--node") + 1)).isEqualTo("$(NODE_NAME)");
  }

  @ParameterizedTest
  @MethodSource("kustomizations")
  void theProbesAndMetricsUseThePortTheAgentListensOn(String kustomization) {
    Container agent = agent(kustomization).getSpec().getTemplate().getSpec().getContainers().get(0);
    List<String> args = agent.getArgs();
    int port = ListenAddress.parse(args.get(args.indexOf("--http") + 1)).orElseThrow().getPort();
    assertThat(agent.getPorts()).hasSize(1);
    assertThat(agent.getPorts().get(0).getContainerPort()).isEqualTo(port);
    String portName = agent.getPorts().get(0).getName();
    assertThat(portName).isEqualTo("metrics");
    assertThat(agent.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(agent.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo(portName);
    assertThat(agent.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(agent.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo(portName);
  }

  /**
   * The arguments, with the kubelet's $(VAR) expansion, pass the agent's own parser: adding
   * --config makes it stop at "not both" after reading every option, before it starts anything.
   */
  @ParameterizedTest
  @MethodSource("kustomizations")
  void theArgumentsAreOnesTheAgentAccepts(String kustomization) {
    Container agent = agent(kustomization).getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, String> values = Map.of("NODE_NAME", "node-a", "POD_NAMESPACE", "kubelvs-system");
    List<String> args = new ArrayList<>();
    for (String arg : agent.getArgs()) {
      Matcher m = VARIABLE.matcher(arg);
      while (m.find()) {
        assertThat(agent.getEnv()).extracting(EnvVar::getName).contains(m.group(1));
      }
      args.add(m.replaceAll(r -> values.get(r.group(1))));
    }
    args.addAll(List.of("--config", "/nonexistent"));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Main.run(
            args.toArray(String[]::new),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(Main.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("run takes --config FILE or --node NODE, not both");
  }

  private static VolumeMount mount(Container container, String path) {
    return container.getVolumeMounts().stream()
        .filter(m -> m.getMountPath().equals(path))
        .findFirst()
        .orElseThrow(() -> new AssertionError(container.getName() + " mounts nothing at " + path));
  }

  private static Volume volume(PodSpec pod, String name) {
    return pod.getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }
}
