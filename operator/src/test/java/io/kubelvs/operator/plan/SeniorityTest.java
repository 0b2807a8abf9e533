package io.kubelvs.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SeniorityTest {
  private static Instant created(String timestamp) {
    return Seniority.of(
            new ObjectMetaBuilder().withName("a").withCreationTimestamp(timestamp).build())
        .created();
  }

  @Test
  void theApiServersFormIsReadToTheSecond() {
    assertThat(created("2026-12-03T18:04:05Z")).isEqualTo(Instant.parse("2026-12-03T18:04:05Z"));
  }

  @Test
  void otherRfc3339FormsAreReadToo() {
    assertThat(created("2026-12-03T18:04:05.250Z"))
        .isEqualTo(Instant.parse("2026-12-03T18:04:05.250Z"));
    assertThat(created("2026-12-03T19:04:05+01:00"))
        .isEqualTo(Instant.parse("2026-12-03T18:04:05Z"));
  }

  @Test
  void whatNoApiServerWritesCountsAsTheNewest() {
    assertThat(created("2026-13-03T18:04:05Z")).isEqualTo(Instant.MAX);
    assertThat(created("2026-12-03 18:04:05Z")).isEqualTo(Instant.MAX);
    assertThat(created(null)).isEqualTo(Instant.MAX);
  }
}
