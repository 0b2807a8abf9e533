package io.kubelvs.api.v1alpha1;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;

/**
 * Marks list properties of a type with their topology ({@code x-kubernetes-list-type} and {@code
 * x-kubernetes-list-map-keys}), so server-side apply and GitOps tools merge them item by item. The
 * CRD generator has no annotation for it; its merge-patch customizer replaces nested maps whole.
 *
 * <p>Input: {@code "realServers: map(address); schedulerFlags: set"}.
 */
public final class ListTypes implements SchemaCustomizer.Customizer {
  private static final java.util.regex.Pattern ENTRY =
      java.util.regex.Pattern.compile("\\s*(\\w+)\\s*:\\s*(set|atomic|map\\(([\\w\\s,]+)\\))\\s*");

  @Override
  public JSONSchemaProps apply(
      JSONSchemaProps schema, String input, KubernetesSerialization serialization) {
    for (String entry : input.split(";")) {
      Matcher m = ENTRY.matcher(entry);
      if (!m.matches()) {
        throw new IllegalArgumentException("list type entry '" + entry + "' is not NAME: TYPE");
      }
      JSONSchemaProps list = schema.getProperties().get(m.group(1));
      if (list == null || !"array".equals(list.getType())) {
        throw new IllegalArgumentException("'" + m.group(1) + "' is not a list property");
      }
      if (m.group(3) == null) {
        list.setXKubernetesListType(m.group(2));
      } else {
        List<String> keys = Arrays.stream(m.group(3).split(",")).map(String::trim).toList();
        list.setXKubernetesListType("map");
        list.setXKubernetesListMapKeys(keys);
      }
    }
    return schema;
  }
}
