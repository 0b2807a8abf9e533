package io.kubelvs.api.v1alpha1;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;

/**
 * Sets descriptions the generator cannot take from an annotation: of the root, of {@code spec} and
 * {@code status} (fields of fabric8's CustomResource), and inside model types such as
 * LabelSelector. Input is a JSON object from a path to its description; {@code .} is the schema
 * itself, a path segment {@code []} steps into a list's items: {@code
 * {"nodeSelector.matchExpressions.[].key": "..."}}.
 */
public final class SchemaDescriptions implements SchemaCustomizer.Customizer {
  @Override
  public JSONSchemaProps apply(
      JSONSchemaProps schema, String input, KubernetesSerialization serialization) {
    @SuppressWarnings("unchecked")
    Map<String, String> descriptions = serialization.unmarshal(input, Map.class);
    descriptions.forEach((path, text) -> resolve(schema, path).setDescription(text));
    return schema;
  }

  private static JSONSchemaProps resolve(JSONSchemaProps schema, String path) {
    JSONSchemaProps node = schema;
    if (path.equals(".")) {
      return node;
    }
    for (String segment : path.split("\\.")) {
      JSONSchemaProps next =
          segment.equals("[]")
              ? (node.getItems() == null ? null : node.getItems().getSchema())
              : (node.getProperties() == null ? null : node.getProperties().get(segment));
      if (next == null) {
        throw new IllegalArgumentException("no schema at '" + segment + "' of '" + path + "'");
      }
      node = next;
    }
    return node;
  }
}
