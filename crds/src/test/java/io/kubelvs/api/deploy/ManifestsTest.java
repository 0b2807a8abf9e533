package io.kubelvs.api.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

/** Loading manifests strictly: a field fabric8's model does not know is an error, not ignored. */
class ManifestsTest {
  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: default}
      spec:
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            %s
            containers:
              - name: web
                image: nginx
                resources: {limits: {memory: 64Mi}}
      """;

  @Test
  void knownFieldsLoadIntoTheirClass() {
    assertThat(Manifests.load(DEPLOYMENT.formatted("hostNetwork: false")))
        .singleElement()
        .isInstanceOf(Deployment.class);
  }

  @Test
  void aMisspeltFieldIsRefusedWithItsPath() {
    assertThatThrownBy(() -> Manifests.load(DEPLOYMENT.formatted("hostNetwrok: true")))
        .hasMessageContaining("Deployment web.spec.template.spec.hostNetwrok");
  }

  @Test
  void aFieldInASchemaTheModelHasNoMapForIsRefusedToo() {
    String crd =
        """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.test}
        spec:
          group: example.test
          names: {kind: Widget, plural: widgets}
          scope: Namespaced
          versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec: {type: object, maxProperites: 3}
        """;
    assertThatThrownBy(() -> Manifests.load(crd)).hasMessageContaining("maxProperites");
  }

  @Test
  void aKindWithoutAModelClassIsRefused() {
    assertThatThrownBy(
            () ->
                Manifests.load("apiVersion: example.test/v1\nkind: Widget\nmetadata: {name: w}\n"))
        .hasMessageContaining("Widget w (example.test/v1): no fabric8 model class");
  }
}
