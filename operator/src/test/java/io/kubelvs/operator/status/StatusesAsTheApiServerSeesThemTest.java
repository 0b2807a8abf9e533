package io.kubelvs.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubelvs.api.schema.CrdValidator;
import io.kubelvs.api.v1alpha1.VrrpState;
import io.kubelvs.operator.plan.Problem;
import io.kubelvs.operator.plan.VirtualServiceKey;
import io.kubelvs.operator.plan.VirtualServiceOutcome;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The statuses the operator writes pass the CRDs' schemas (condition reasons, lengths, list keys),
 * and the API server's defaults add nothing to them, so the status read back compares equal to the
 * next fold and is not written again.
 */
class StatusesAsTheApiServerSeesThemTest {
  private static final Path CRDS_DIR = Path.of(System.getProperty("user.dir"), "..", "crds");
  private static final CrdValidator CRDS =
      CrdValidator.load(
          Stream.of("directorpools.kubelvs.io.yaml", "virtualservices.kubelvs.io.yaml")
              .map(CRDS_DIR::resolve)
              .toList());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final VirtualServiceKey SEED_WEB = new VirtualServiceKey("default", "seed-web");

  private final Seed seed = new Seed(1);

  @Test
  void virtualServiceStatusesAreValidAsFolded() throws Exception {
    List<List<DirectorView>> situations =
        List.of(
            List.of(),
            List.of(seed.unreported("director-1"), seed.unreported("director-2")),
            List.of(
                seed.reported("director-1", VrrpState.MASTER, Set.of("172.16.53.102")),
                seed.reported("director-2", VrrpState.BACKUP, Set.of())),
            List.of(
                seed.reported("director-1", VrrpState.MASTER, Set.of()),
                seed.reported("director-2", VrrpState.MASTER, Set.of())));
    for (List<DirectorView> directors : situations) {
      seed.service.setStatus(
          VirtualServiceStatuses.fold(
              seed.service, seed.plan.virtualServices().get(SEED_WEB), directors, T0));
      assertAcceptedAsIs(seed.service);
    }
    seed.service.setStatus(
        VirtualServiceStatuses.fold(
            seed.service,
            new VirtualServiceOutcome.Rejected(
                SEED_WEB, Problem.invalid("NoSuchPool", "DirectorPool nope does not exist")),
            List.of(),
            T0));
    assertAcceptedAsIs(seed.service);
  }

  @Test
  void poolStatusesAreValidAsFolded() throws Exception {
    seed.pool.setStatus(
        DirectorPoolStatuses.fold(
            seed.pool,
            seed.plan.pools().get("seed"),
            List.of(
                seed.reported("director-1", VrrpState.MASTER, Set.of()),
                seed.unreported("director-2")),
            T0));
    assertAcceptedAsIs(seed.pool);
  }

  private static void assertAcceptedAsIs(Object object) throws Exception {
    JsonNode manifest = JSON.readTree(Serialization.asJson(object));
    assertThat(CRDS.validate(manifest).errors()).isEmpty();
    assertThat(CRDS.applyDefaults(manifest).path("status")).isEqualTo(manifest.path("status"));
  }
}
