package io.kubelvs.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of a CRD's {@code spec.versions}, with the CRD facts a request for it depends on.
 *
 * @param statusSubresource whether {@code status} is written only through the /status subresource
 *     (and so dropped from a create)
 */
record CustomResourceVersion(
    String crdName,
    String group,
    String kind,
    CrdValidator.Scope scope,
    String version,
    boolean served,
    boolean statusSubresource,
    OpenApiSchema schema) {

  String apiVersion() {
    return group + "/" + version;
  }

  /** Names this version in messages: {@code widgets.example.test/v1}. */
  String describe() {
    return crdName + "/" + version;
  }

  /** Every version of an apiextensions.k8s.io/v1 CustomResourceDefinition. */
  static List<CustomResourceVersion> of(JsonNode crd) {
    String crdName = crd.path("metadata").path("name").asText();
    if (!crd.path("apiVersion").asText().equals("apiextensions.k8s.io/v1")
        || !crd.path("kind").asText().equals("CustomResourceDefinition")) {
      throw new InvalidCrdException(
          crdName + ": not an apiextensions.k8s.io/v1 CustomResourceDefinition");
    }
    JsonNode spec = crd.path("spec");
    CrdValidator.Scope scope =
        spec.path("scope").asText().equals("Cluster")
            ? CrdValidator.Scope.CLUSTER
            : CrdValidator.Scope.NAMESPACED;
    List<CustomResourceVersion> versions = new ArrayList<>();
    for (JsonNode version : spec.path("versions")) {
      JsonNode schema = version.path("schema").path("openAPIV3Schema");
      if (!schema.isObject()) {
        throw new InvalidCrdException(
            crdName
                + "/"
                + version.path("name").asText()
                + ": schema.openAPIV3Schema: Required value");
      }
      versions.add(
          new CustomResourceVersion(
              crdName,
              spec.path("group").asText(),
              spec.path("names").path("kind").asText(),
              scope,
              version.path("name").asText(),
              version.path("served").asBoolean(false),
              version.path("subresources").has("status"),
              new OpenApiSchema(schema)));
    }
    return versions;
  }
}
