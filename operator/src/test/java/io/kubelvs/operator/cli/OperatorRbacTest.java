package io.kubelvs.operator.cli;

import static io.kubelvs.operator.reconcile.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kubelvs.api.deploy.ApiRequest;
import io.kubelvs.api.deploy.Manifests;
import io.kubelvs.api.deploy.RbacPolicy;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
import io.kubelvs.api.v1alpha1.VirtualService;
import io.kubelvs.operator.reconcile.KubeMock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Least privilege: every request the operator makes - leader election, the informers, creating,
 * changing and deleting Directors, writing pool and VirtualService status, releasing the Lease - is
 * allowed by the rules deploy/base binds to the operator's ServiceAccount, as an API server's RBAC
 * would decide it; and each verb of each rule is used.
 */
class OperatorRbacTest {
  private static final String USER_AGENT = "kubelvs-operator-under-test";
  private static final String NAMESPACE = "kubelvs-system";

  @Test
  void everyRequestOfTheOperatorIsAllowedAndEveryRuleIsUsed() throws Exception {
    List<ApiRequest> made = new ArrayList<>();
    try (KubeMock kube = new KubeMock();
        KubernetesClient client = kube.client(USER_AGENT)) {
      kube.addNode("director-1", "seed", "198.18.100.1");
      kube.addNode("director-2", "seed", "198.18.100.2");
      kube.applySample("seed/directorpool.yaml");
      kube.applySample("seed/virtualservice.yaml");
      OperatorProcess process =
          new OperatorProcess(
              client,
              new OperatorProcess.Settings(
                  NAMESPACE,
                  "kubelvs-operator",
                  "operator-a",
                  new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                  true,
                  Duration.ofSeconds(3),
                  Duration.ofSeconds(2),
                  Duration.ofMillis(100)),
              Clock.systemUTC(),
              () -> {
                throw new AssertionError("lost the Lease");
              });
      OwnerReference owner;
      try {
        process.start();
        eventually(() -> assertThat(directors(kube)).hasSize(2));
        eventually(
            () ->
                assertThat(
                        kube.admin()
                            .resources(VirtualService.class)
                            .inNamespace("default")
                            .withName("seed-web")
                            .get()
                            .getStatus())
                    .isNotNull());
        // A second service changes the pool's set of servers and both Directors' spec.
        kube.applySample("tcp-check/virtualservice.yaml");
        eventually(
            () ->
                assertThat(sets(kube))
                    .singleElement()
                    .satisfies(x -> assertThat(x.getSpec().virtualServers()).hasSize(2)));
        // A node leaving the pool loses its Director.
        kube.admin()
            .nodes()
            .withName("director-2")
            .edit(
                n -> {
                  n.getMetadata().getLabels().remove("kubelvs.io/pool");
                  return n;
                });
        eventually(
            () ->
                assertThat(directors(kube))
                    .extracting(d -> d.getMetadata().getName())
                    .containsExactly("director-1"));
        owner = directors(kube).get(0).getMetadata().getOwnerReferences().get(0);
        // A pool deleted: its Directors and sets go (the mock has no garbage collector).
        kube.admin().resources(DirectorPool.class).withName("seed").delete();
        eventually(() -> assertThat(sets(kube)).isEmpty());
      } finally {
        process.close();
      }
      for (RecordedRequest r : kube.takeRequests()) {
        if (USER_AGENT.equals(r.getHeader("User-Agent"))) {
          made.add(ApiRequest.of(r.getMethod(), r.getPath()));
        }
      }
      assertThat(owner)
          .as("blockOwnerDeletion, for which directorpools/finalizers is granted")
          .satisfies(o -> assertThat(o.getBlockOwnerDeletion()).isTrue());
    }

    List<HasMetadata> base = Manifests.render("deploy/base");
    String account = operatorServiceAccount(base);
    RbacPolicy policy = RbacPolicy.forServiceAccount(base, NAMESPACE, account);
    assertThat(made).isNotEmpty();
    for (ApiRequest request : made) {
      assertThat(policy.allows(request)).as("allowed by deploy/base: %s", request).isTrue();
    }
    // No request sets blockOwnerDeletion's permission check off: the API server makes it on
    // creating a Director (OwnerReferencesPermissionEnforcement), so no request shows it.
    assertThat(policy.unused(made))
        .as("granted but never used")
        .containsExactly("update kubelvs.io/directorpools/finalizers");
  }

  private static String operatorServiceAccount(List<HasMetadata> base) {
    return base.stream()
        .filter(Deployment.class::isInstance)
        .map(Deployment.class::cast)
        .filter(d -> d.getMetadata().getName().equals("kubelvs-operator"))
        .findFirst()
        .orElseThrow()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getServiceAccountName();
  }

  private static List<VirtualServerSet> sets(KubeMock kube) {
    return kube.admin().resources(VirtualServerSet.class).list().getItems();
  }

  private static List<Director> directors(KubeMock kube) {
    return kube.admin().resources(Director.class).list().getItems();
  }
}
