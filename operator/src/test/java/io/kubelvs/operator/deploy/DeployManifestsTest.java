package io.kubelvs.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.kubelvs.api.deploy.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * deploy/ renders with {@code kubectl kustomize} (what {@code kubectl apply -k} does), the base and
 * every overlay, into objects fabric8's typed model holds without a field left over.
 */
class DeployManifestsTest {

  static List<String> kustomizations() {
    return Manifests.kustomizations();
  }

  @Test
  void theTestsFindTheBaseAndEveryOverlay() {
    assertThat(kustomizations())
        .containsExactly(
            "deploy/base",
            "deploy/overlays/kind",
            "deploy/overlays/monitoring",
            "deploy/overlays/production");
  }

  @ParameterizedTest
  @MethodSource("kustomizations")
  void rendersIntoKnownFieldsOnly(String kustomization) {
    List<HasMetadata> objects = Manifests.render(kustomization);
    assertThat(objects).isNotEmpty();
    for (HasMetadata object : objects) {
      boolean clusterScoped =
          object instanceof Namespace
              || object instanceof CustomResourceDefinition
              || object.getKind().startsWith("Cluster");
      assertThat(object.getMetadata().getNamespace())
          .as("namespace of %s %s", object.getKind(), object.getMetadata().getName())
          .isEqualTo(clusterScoped ? null : "kubelvs-system");
      assertThat(object.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/part-of", "kubelvs");
    }
  }

  @Test
  void theBaseInstallsTheCrdsOfCrdsAsTheyAre() throws IOException {
    List<HasMetadata> objects = Manifests.render("deploy/base");
    List<CustomResourceDefinition> crds =
        objects.stream()
            .filter(CustomResourceDefinition.class::isInstance)
            .map(CustomResourceDefinition.class::cast)
            .toList();
    List<String> files = new ArrayList<>();
    try (Stream<Path> all = Files.list(Manifests.repo().resolve("crds"))) {
      all.filter(f -> f.getFileName().toString().endsWith(".kubelvs.io.yaml"))
          .forEach(f -> files.add(f.getFileName().toString()));
    }
    assertThat(crds)
        .extracting(c -> c.getMetadata().getName() + ".yaml")
        .containsExactlyInAnyOrderElementsOf(files);
    for (CustomResourceDefinition crd : crds) {
      CustomResourceDefinition file =
          Serialization.unmarshal(
              Files.readString(
                  Manifests.repo().resolve("crds").resolve(crd.getMetadata().getName() + ".yaml")),
              CustomResourceDefinition.class);
      assertThat(crd.getSpec()).isEqualTo(file.getSpec());
    }
  }

  @Test
  void theBaseHasTheNamespaceTheOperatorAndTheAgents() {
    List<HasMetadata> objects = Manifests.render("deploy/base");
    Namespace namespace = only(objects, Namespace.class);
    assertThat(namespace.getMetadata().getName()).isEqualTo("kubelvs-system");
    // hostNetwork and NET_ADMIN are beyond the baseline Pod Security profile.
    assertThat(namespace.getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "privileged");
    assertThat(images(objects))
        .containsExactlyInAnyOrder(
            "ghcr.io/kubelvs/kubelvs-operator:0.1.0",
            "ghcr.io/kubelvs/kubelvs-agent:0.1.0",
            "docker.io/library/alpine:3.20");
  }

  @Test
  void theProductionOverlayChangesImagesNodesAndResources() {
    List<HasMetadata> objects = Manifests.render("deploy/overlays/production");
    assertThat(images(objects)).allMatch(i -> i.startsWith("registry.example.com/"));
    PodSpec agent = only(objects, DaemonSet.class).getSpec().getTemplate().getSpec();
    assertThat(
            agent
                .getAffinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()
                .get(0)
                .getMatchExpressions()
                .get(0)
                .getKey())
        .isEqualTo("node-role.kubernetes.io/lvs-director");
    assertThat(agent.getTolerations())
        .extracting(t -> t.getKey())
        .containsExactly("node-role.kubernetes.io/lvs-director");
    assertThat(agent.getContainers().get(0).getResources().getLimits().get("memory").toString())
        .isEqualTo("512Mi");
    assertThat(all(objects, ServiceMonitor.class))
        .hasSize(2)
        .allMatch(m -> "kube-prometheus-stack".equals(m.getMetadata().getLabels().get("release")));
  }

  /** Each ServiceMonitor selects a Service whose named port the component's pods serve. */
  @Test
  void theServiceMonitorsScrapeTheMetricsPorts() {
    List<HasMetadata> objects = Manifests.render("deploy/overlays/monitoring");
    List<ServiceMonitor> monitors = all(objects, ServiceMonitor.class);
    assertThat(monitors)
        .extracting(m -> m.getMetadata().getName())
        .containsExactlyInAnyOrder("kubelvs-operator", "kubelvs-agent");
    for (ServiceMonitor monitor : monitors) {
      Service service =
          all(objects, Service.class).stream()
              .filter(
                  s ->
                      s.getMetadata()
                          .getLabels()
                          .entrySet()
                          .containsAll(monitor.getSpec().getSelector().getMatchLabels().entrySet()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no Service for " + monitor));
      String port = monitor.getSpec().getEndpoints().get(0).getPort();
      var servicePort =
          service.getSpec().getPorts().stream()
              .filter(p -> p.getName().equals(port))
              .findFirst()
              .orElseThrow();
      PodSpec pod = podSelectedBy(objects, service);
      assertThat(pod.getContainers().get(0).getPorts())
          .anyMatch(
              p ->
                  p.getName().equals(servicePort.getTargetPort().getStrVal())
                      && p.getContainerPort().equals(servicePort.getPort()));
      assertThat(monitor.getSpec().getEndpoints().get(0).getPath()).isEqualTo("/metrics");
    }
  }

  private static PodSpec podSelectedBy(List<HasMetadata> objects, Service service) {
    for (Deployment d : all(objects, Deployment.class)) {
      if (d.getSpec()
          .getTemplate()
          .getMetadata()
          .getLabels()
          .entrySet()
          .containsAll(service.getSpec().getSelector().entrySet())) {
        return d.getSpec().getTemplate().getSpec();
      }
    }
    for (DaemonSet d : all(objects, DaemonSet.class)) {
      if (d.getSpec()
          .getTemplate()
          .getMetadata()
          .getLabels()
          .entrySet()
          .containsAll(service.getSpec().getSelector().entrySet())) {
        return d.getSpec().getTemplate().getSpec();
      }
    }
    throw new AssertionError("Service " + service.getMetadata().getName() + " selects no pods");
  }

  static List<String> images(List<HasMetadata> objects) {
    List<String> images = new ArrayList<>();
    for (HasMetadata o : objects) {
      PodSpec pod =
          o instanceof Deployment d
              ? d.getSpec().getTemplate().getSpec()
              : o instanceof DaemonSet ds ? ds.getSpec().getTemplate().getSpec() : null;
      if (pod != null) {
        Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream())
            .map(Container::getImage)
            .forEach(images::add);
      }
    }
    return images;
  }

  static <T> List<T> all(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static <T> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> found = all(objects, type);
    assertThat(found).as("one %s", type.getSimpleName()).hasSize(1);
    return found.get(0);
  }
}
