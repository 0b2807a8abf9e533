package io.kubelvs.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.Pluralize;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionNames;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
import io.kubelvs.api.v1alpha1.VirtualService;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The checked-in CRDs have the names, columns, subresources and rules the API promises. */
class CrdShapeTest {
  static final List<Class<? extends CustomResource<?, ?>>> KINDS = GeneratedCrds.KINDS;

  private static CustomResourceDefinition crd(Class<? extends CustomResource<?, ?>> kind)
      throws IOException {
    return Serialization.unmarshal(
        Files.readString(GeneratedCrds.checkedIn(kind)), CustomResourceDefinition.class);
  }

  private static CustomResourceDefinitionVersion v1alpha1(
      Class<? extends CustomResource<?, ?>> kind) throws IOException {
    List<CustomResourceDefinitionVersion> versions = crd(kind).getSpec().getVersions();
    assertThat(versions).hasSize(1);
    assertThat(versions.get(0).getName()).isEqualTo("v1alpha1");
    return versions.get(0);
  }

  private static List<String> columns(Class<? extends CustomResource<?, ?>> kind)
      throws IOException {
    return v1alpha1(kind).getAdditionalPrinterColumns().stream()
        .map(CustomResourceColumnDefinition::getName)
        .toList();
  }

  private static JSONSchemaProps spec(Class<? extends CustomResource<?, ?>> kind)
      throws IOException {
    return v1alpha1(kind).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
  }

  /**
   * Each kind names its plural and singular itself (fabric8 would otherwise work them out with
   * regular expressions every time an object is made: thousands per second in the operator), and
   * they are the names its CRD is served under.
   */
  @ParameterizedTest
  @FieldSource("KINDS")
  void eachKindNamesItsPluralAndSingularAsItsCrdDoes(Class<? extends CustomResource<?, ?>> kind)
      throws IOException {
    assertThat(kind.getAnnotation(Plural.class)).as("@Plural on %s", kind).isNotNull();
    assertThat(kind.getAnnotation(Singular.class)).as("@Singular on %s", kind).isNotNull();
    CustomResourceDefinitionNames names = crd(kind).getSpec().getNames();
    assertThat(HasMetadata.getPlural(kind))
        .isEqualTo(names.getPlural())
        .isEqualTo(Pluralize.toPlural(names.getSingular()));
    assertThat(HasMetadata.getSingular(kind))
        .isEqualTo(names.getSingular())
        .isEqualTo(kind.getSimpleName().toLowerCase(Locale.ROOT));
  }

  @Test
  void virtualServiceIsNamespacedWithShortNamesVsAndLvs() throws IOException {
    CustomResourceDefinition crd = crd(VirtualService.class);
    assertThat(crd.getMetadata().getName()).isEqualTo("virtualservices.kubelvs.io");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("vs", "lvs");
  }

  @Test
  void directorPoolAndDirectorAreClusterScoped() throws IOException {
    assertThat(crd(DirectorPool.class).getSpec().getScope()).isEqualTo("Cluster");
    assertThat(crd(DirectorPool.class).getSpec().getNames().getShortNames())
        .containsExactly("dpool");
    assertThat(crd(Director.class).getSpec().getScope()).isEqualTo("Cluster");
    assertThat(crd(Director.class).getSpec().getNames().getShortNames())
        .containsExactly("director");
  }

  @ParameterizedTest
  @FieldSource("KINDS")
  void everyKindIsInTheKubelvsCategoryAndHasAStatusSubresourceIfItHasAStatus(
      Class<? extends CustomResource<?, ?>> kind) throws IOException {
    assertThat(crd(kind).getSpec().getGroup()).isEqualTo("kubelvs.io");
    assertThat(crd(kind).getSpec().getNames().getCategories()).containsExactly("kubelvs");
    if (kind == VirtualServerSet.class) {
      // Desired state only: what each node applied of it is in its Director's status.
      assertThat(v1alpha1(kind).getSubresources()).isNull();
    } else {
      assertThat(v1alpha1(kind).getSubresources().getStatus()).isNotNull();
    }
  }

  @Test
  void printerColumnsAreInTheOrderKubectlShowsThem() throws IOException {
    assertThat(columns(VirtualService.class))
        .containsExactly("VIP", "PORT", "PROTOCOL", "MASTER", "BACKENDS", "STATUS", "AGE");
    assertThat(columns(Director.class))
        .containsExactly("NODE", "INSTANCES", "MASTER-OF", "READY", "AGE");
    assertThat(columns(DirectorPool.class)).startsWith("INTERFACE").endsWith("READY", "AGE");
  }

  @ParameterizedTest
  @FieldSource("KINDS")
  void everyFieldHasADescription(Class<? extends CustomResource<?, ?>> kind) throws IOException {
    List<String> undescribed = new ArrayList<>();
    collectUndescribed(v1alpha1(kind).getSchema().getOpenAPIV3Schema(), "", undescribed);
    assertThat(undescribed).isEmpty();
  }

  private static void collectUndescribed(JSONSchemaProps schema, String path, List<String> out) {
    if (schema.getDescription() == null || schema.getDescription().isBlank()) {
      out.add(path.isEmpty() ? "<root>" : path);
    }
    if (schema.getProperties() != null) {
      for (Map.Entry<String, JSONSchemaProps> p : schema.getProperties().entrySet()) {
        if (path.isEmpty() && List.of("apiVersion", "kind", "metadata").contains(p.getKey())) {
          continue;
        }
        collectUndescribed(p.getValue(), path + "." + p.getKey(), out);
      }
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      JSONSchemaProps items = schema.getItems().getSchema();
      if (items.getProperties() != null) {
        items.getProperties().forEach((k, v) -> collectUndescribed(v, path + "[]." + k, out));
      }
    }
  }

  @Test
  void listsUsersMergeAreListMapsWithKeys() throws IOException {
    Map<String, JSONSchemaProps> vs = spec(VirtualService.class).getProperties();
    assertThat(vs.get("ports").getXKubernetesListType()).isEqualTo("map");
    assertThat(vs.get("ports").getXKubernetesListMapKeys()).containsExactly("port", "protocol");
    assertThat(vs.get("realServers").getXKubernetesListType()).isEqualTo("map");
    assertThat(vs.get("realServers").getXKubernetesListMapKeys()).containsExactly("address");
    assertThat(spec(DirectorPool.class).getProperties().get("vipRanges").getXKubernetesListType())
        .isEqualTo("set");
    Map<String, JSONSchemaProps> director = spec(Director.class).getProperties();
    assertThat(director.get("vrrpInstances").getXKubernetesListMapKeys()).containsExactly("name");
    assertThat(director.get("virtualServers").getXKubernetesListMapKeys()).containsExactly("name");
  }

  @Test
  void crossFieldRulesAreCelRulesInTheSchema() throws IOException {
    List<String> rules =
        spec(VirtualService.class).getXKubernetesValidations().stream()
            .map(ValidationRule::getRule)
            .toList();
    assertThat(rules).contains("has(self.ports) != has(self.fwmark)");
    JSONSchemaProps vrrp = spec(DirectorPool.class).getProperties().get("vrrp");
    assertThat(vrrp.getXKubernetesValidations())
        .extracting(ValidationRule::getFieldPath)
        .contains(".advertInterval", ".authentication");
  }

  @Test
  void directorSpecCarriesNoRulesUnderItsLargeLists() throws IOException {
    // Only the operator writes Directors; rules nested under virtualServers x realServers would
    // multiply the API server's CEL cost estimate.
    JSONSchemaProps realServer =
        spec(Director.class)
            .getProperties()
            .get("virtualServers")
            .getItems()
            .getSchema()
            .getProperties()
            .get("realServers")
            .getItems()
            .getSchema();
    assertThat(realServer.getXKubernetesValidations()).isNullOrEmpty();
  }
}
