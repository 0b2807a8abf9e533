package io.kubelvs.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.kubelvs.api.deploy.Manifests;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The operator's Deployment in deploy/base asks the operator for what its command line accepts: the
 * arguments, expanded as the kubelet does from the downward API, go through {@link Main}'s own
 * parser, and the probes and the metrics port are where that parse says the operator listens.
 */
class OperatorDeploymentTest {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\(([A-Z_]+)\\)");
  private static final String POD_NAME = "kubelvs-operator-7d9c-x2x4q";

  private final Deployment deployment = deployment();
  private final PodSpec pod = deployment.getSpec().getTemplate().getSpec();
  private final Container operator = pod.getContainers().get(0);

  private static Deployment deployment() {
    List<HasMetadata> objects = Manifests.render("deploy/base");
    List<Deployment> found =
        objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).toList();
    assertThat(found)
        .extracting(d -> d.getMetadata().getName())
        .containsExactly("kubelvs-operator");
    return found.get(0);
  }

  @Test
  void theArgumentsParseIntoLeaderElectionInTheOperatorsNamespace() throws Exception {
    Main.Options options = parse();
    assertThat(options.leaderElection()).isTrue();
    assertThat(options.leaseNamespace()).isEqualTo("kubelvs-system");
    assertThat(options.identity()).isEqualTo(POD_NAME);
  }

  @Test
  void theProbesAndMetricsAreOnTheProbePort() throws Exception {
    int probePort = parse().probePort();
    assertThat(operator.getPorts()).hasSize(1);
    ContainerPort port = operator.getPorts().get(0);
    assertThat(port.getName()).isEqualTo("metrics");
    assertThat(port.getContainerPort()).isEqualTo(probePort);
    assertProbe(operator.getLivenessProbe(), "/healthz", port);
    assertProbe(operator.getReadinessProbe(), "/readyz", port);
  }

  /**
   * A standby is not Ready (/readyz is 503 until it holds the Lease), so a rollout must stop the
   * old pod before it can wait for the new one to be Ready.
   */
  @Test
  void oneReplicaThatIsStoppedBeforeItsSuccessorStarts() {
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    var rolling = deployment.getSpec().getStrategy().getRollingUpdate();
    assertThat(rolling.getMaxSurge().getIntVal()).isZero();
    assertThat(rolling.getMaxUnavailable().getIntVal()).isEqualTo(1);
  }

  @Test
  void theOperatorRunsAsNonRootOnAReadOnlyRoot() {
    assertThat(pod.getServiceAccountName()).isEqualTo("kubelvs-operator");
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isNotZero();
    var security = operator.getSecurityContext();
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getPrivileged()).isNotEqualTo(Boolean.TRUE);
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(operator.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(operator.getResources().getLimits()).containsKey("memory");
  }

  @Test
  void theParserRefusesWhatTheOperatorDoesNotKnow() {
    assertThatThrownBy(() -> Main.parse(List.of("--leader-elect"), n -> null, "ns", "host"))
        .isInstanceOf(Main.UsageException.class)
        .hasMessage("unknown argument --leader-elect");
    assertThatThrownBy(() -> Main.parse(List.of("--probe-port", "http"), n -> null, "ns", "host"))
        .isInstanceOf(Main.UsageException.class);
  }

  private Main.Options parse() throws Main.UsageException {
    Map<String, String> fields =
        operator.getEnv().stream()
            .filter(e -> e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null)
            .collect(
                Collectors.toMap(
                    EnvVar::getName, e -> e.getValueFrom().getFieldRef().getFieldPath()));
    Map<String, String> downward =
        Map.of(
            "metadata.namespace",
            deployment.getMetadata().getNamespace(),
            "metadata.name",
            POD_NAME);
    Map<String, String> env =
        fields.entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> downward.get(e.getValue())));
    List<String> args = new ArrayList<>();
    for (String arg : operator.getArgs()) {
      Matcher m = VARIABLE.matcher(arg);
      while (m.find()) {
        assertThat(env).as("$(%s) is set", m.group(1)).containsKey(m.group(1));
      }
      args.add(m.replaceAll(r -> env.get(r.group(1))));
    }
    assertThat(operator.getCommand()).as("the image's entrypoint runs Main").isNullOrEmpty();
    // No client namespace or host name: a pod's come from the arguments and the downward API.
    return Main.parse(args, env::get, null, null);
  }

  private static void assertProbe(Probe probe, String path, ContainerPort port) {
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo(port.getName());
  }
}
