package io.kubelvs.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubelvs.api.v1alpha1.VrrpState;
import io.kubelvs.operator.plan.VirtualServiceKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl get vs} and {@code kubectl get dpool} print what the status fold fills: every
 * printer column of the CRDs that reads {@code .status} finds a value in a folded status.
 */
class PrinterColumnsTest {
  private static final Path CRDS = Path.of(System.getProperty("user.dir"), "..", "crds");
  private static final Pattern CONDITION =
      Pattern.compile("\\.status\\.conditions\\[\\?\\(@\\.type==\"(\\w+)\"\\)\\]\\.(\\w+)");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final Seed seed = new Seed(1);
  private final List<DirectorView> directors =
      List.of(
          seed.reported("director-1", VrrpState.MASTER, Set.of("172.16.53.102")),
          seed.reported("director-2", VrrpState.BACKUP, Set.of()));

  @Test
  void kubectlGetVsShowsVipMasterBackendsAndStatus() throws IOException {
    seed.service.setStatus(
        VirtualServiceStatuses.fold(
            seed.service,
            seed.plan.virtualServices().get(new VirtualServiceKey("default", "seed-web")),
            directors,
            T0));

    assertThat(statusColumns("virtualservices.kubelvs.io.yaml", seed.service))
        .containsExactly(
            Map.entry("VIP", "172.16.53.50"),
            Map.entry("MASTER", "director-1"),
            Map.entry("BACKENDS", "1/2"),
            Map.entry("STATUS", "Ready"));
  }

  @Test
  void kubectlGetDpoolShowsNodesVipsAndReady() throws IOException {
    seed.pool.setStatus(
        DirectorPoolStatuses.fold(seed.pool, seed.plan.pools().get("seed"), directors, T0));

    assertThat(statusColumns("directorpools.kubelvs.io.yaml", seed.pool))
        .containsExactly(
            Map.entry("NODES", "2/2"), Map.entry("VIPS", "1"), Map.entry("READY", "True"));
  }

  /** Each printer column reading .status, by name, evaluated on {@code object} as JSON. */
  private static Map<String, String> statusColumns(String crdFile, Object object)
      throws IOException {
    CustomResourceDefinition crd =
        Serialization.unmarshal(
            Files.readString(CRDS.resolve(crdFile)), CustomResourceDefinition.class);
    JsonNode json = new ObjectMapper().readTree(Serialization.asJson(object));
    Map<String, String> columns = new LinkedHashMap<>();
    for (CustomResourceColumnDefinition column :
        crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns()) {
      if (column.getJsonPath().startsWith(".status")) {
        columns.put(column.getName(), evaluate(column.getJsonPath(), json));
      }
    }
    return columns;
  }

  /** The two JSONPath forms the CRDs use: a plain field, and a field of one condition. */
  private static String evaluate(String path, JsonNode json) {
    Matcher condition = CONDITION.matcher(path);
    if (condition.matches()) {
      for (JsonNode c : json.path("status").path("conditions")) {
        if (c.path("type").asText().equals(condition.group(1))) {
          return c.path(condition.group(2)).asText(null);
        }
      }
      return null;
    }
    JsonNode node = json;
    for (String field : path.substring(1).split("\\.")) {
      node = node.path(field);
    }
    return node.isMissingNode() || node.isNull() ? null : node.asText();
  }
}
