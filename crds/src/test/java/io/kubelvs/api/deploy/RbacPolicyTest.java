package io.kubelvs.api.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** RBAC's decisions as the API server makes them, for the least-privilege tests of deploy/. */
class RbacPolicyTest {
  private static final String RBAC =
      """
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata: {name: reader}
      rules:
        - apiGroups: ["kubelvs.io"]
          resources: ["directors"]
          verbs: ["get", "list", "watch"]
        - apiGroups: ["kubelvs.io"]
          resources: ["directors/status"]
          resourceNames: ["node-a"]
          verbs: ["update"]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRoleBinding
      metadata: {name: reader}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
      subjects: [{kind: ServiceAccount, name: agent, namespace: system}]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata: {name: events, namespace: system}
      rules:
        - apiGroups: ["events.k8s.io"]
          resources: ["*"]
          verbs: ["create"]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: events, namespace: system}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: events}
      subjects: [{kind: ServiceAccount, name: agent}]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata: {name: secrets}
      rules:
        - apiGroups: [""]
          resources: ["secrets"]
          verbs: ["get"]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: secrets, namespace: system}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secrets}
      subjects: [{kind: ServiceAccount, name: someone-else, namespace: system}]
      """;

  private final RbacPolicy agent =
      RbacPolicy.forServiceAccount(Manifests.load(RBAC), "system", "agent");

  @Test
  void theVerbComesFromTheMethodAndWhetherAnObjectIsNamed() {
    assertThat(ApiRequest.of("GET", "/apis/kubelvs.io/v1alpha1/directors/node-a").verb())
        .isEqualTo("get");
    assertThat(ApiRequest.of("GET", "/apis/kubelvs.io/v1alpha1/directors?limit=500").verb())
        .isEqualTo("list");
    assertThat(
            ApiRequest.of(
                    "GET",
                    "/apis/kubelvs.io/v1alpha1/directors?fieldSelector=metadata.name%3Dnode-a"
                        + "&watch=true")
                .verb())
        .isEqualTo("watch");
    assertThat(ApiRequest.of("DELETE", "/api/v1/namespaces/system/pods").verb())
        .isEqualTo("deletecollection");
    ApiRequest status = ApiRequest.of("PUT", "/apis/kubelvs.io/v1alpha1/directors/node-a/status");
    assertThat(status)
        .isEqualTo(
            new ApiRequest(
                "update",
                "kubelvs.io",
                "directors/status",
                null,
                "node-a",
                "/apis/kubelvs.io/v1alpha1/directors/node-a/status"));
  }

  @Test
  void aClusterRoleBoundClusterWideAllowsItsVerbsOnly() {
    assertThat(agent.allows(ApiRequest.of("GET", "/apis/kubelvs.io/v1alpha1/directors"))).isTrue();
    assertThat(agent.allows(ApiRequest.of("PATCH", "/apis/kubelvs.io/v1alpha1/directors/node-a")))
        .isFalse();
    assertThat(agent.allows(ApiRequest.of("GET", "/apis/other.io/v1/directors"))).isFalse();
  }

  @Test
  void resourceNamesLimitARuleToThoseObjects() {
    assertThat(
            agent.allows(ApiRequest.of("PUT", "/apis/kubelvs.io/v1alpha1/directors/node-a/status")))
        .isTrue();
    assertThat(
            agent.allows(ApiRequest.of("PUT", "/apis/kubelvs.io/v1alpha1/directors/node-b/status")))
        .isFalse();
  }

  @Test
  void aRoleAppliesInItsNamespaceOnly() {
    assertThat(
            agent.allows(ApiRequest.of("POST", "/apis/events.k8s.io/v1/namespaces/system/events")))
        .isTrue();
    assertThat(
            agent.allows(ApiRequest.of("POST", "/apis/events.k8s.io/v1/namespaces/default/events")))
        .isFalse();
    assertThat(agent.allows(ApiRequest.of("POST", "/apis/events.k8s.io/v1/events"))).isFalse();
  }

  @Test
  void rulesBoundToAnotherAccountDoNotCount() {
    assertThat(agent.allows(ApiRequest.of("GET", "/api/v1/namespaces/system/secrets/x"))).isFalse();
  }

  @Test
  void discoveryIsEveryonesAndOtherNonResourceUrlsAreNot() {
    assertThat(agent.allows(ApiRequest.of("GET", "/apis"))).isTrue();
    assertThat(agent.allows(ApiRequest.of("GET", "/version"))).isTrue();
    assertThat(agent.allows(ApiRequest.of("GET", "/metrics"))).isFalse();
  }

  @Test
  void everyVerbOfEveryRuleMustBeUsed() {
    List<ApiRequest> made =
        List.of(
            ApiRequest.of("GET", "/apis/kubelvs.io/v1alpha1/directors"),
            ApiRequest.of("GET", "/apis/kubelvs.io/v1alpha1/directors?watch=true"),
            ApiRequest.of("POST", "/apis/events.k8s.io/v1/namespaces/system/events"));
    assertThat(agent.unused(made))
        .containsExactlyInAnyOrder(
            "get kubelvs.io/directors", "update kubelvs.io/directors/status");
  }
}
