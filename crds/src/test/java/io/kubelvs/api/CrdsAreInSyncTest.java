package io.kubelvs.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.CustomResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The CRDs in crds/ are what the build generates from the Java types, so nobody edits them by hand.
 * {@code hack/update-crds.sh} (this test with -Dkubelvs.updateCrds=true) rewrites them.
 */
class CrdsAreInSyncTest {
  static final java.util.List<Class<? extends CustomResource<?, ?>>> KINDS = GeneratedCrds.KINDS;

  @ParameterizedTest
  @FieldSource("KINDS")
  void checkedInCrdMatchesGeneratedOne(Class<? extends CustomResource<?, ?>> kind)
      throws IOException {
    Path file = GeneratedCrds.checkedIn(kind);
    String generated = GeneratedCrds.render(kind);
    if (Boolean.getBoolean("kubelvs.updateCrds")) {
      Files.writeString(file, generated);
    }
    assertThat(file).exists();
    assertThat(Files.readString(file))
        .as("%s differs from the generated CRD: run hack/update-crds.sh", file.getFileName())
        .isEqualTo(generated);
  }
}
