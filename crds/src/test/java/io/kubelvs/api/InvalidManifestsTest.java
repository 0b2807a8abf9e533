package io.kubelvs.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubelvs.api.schema.CrdValidator;
import io.kubelvs.api.schema.ValidationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each manifest under test resources invalid/ breaks one rule of the API; the generated CRDs reject
 * it with a message naming the field. The first line of each file says what is expected: {@code #
 * expect: spec.vip: ...}.
 */
class InvalidManifestsTest {
  private static final Path INVALID =
      Path.of(System.getProperty("user.dir"), "src/test/resources/invalid");
  private static final CrdValidator CRDS = CrdValidator.load(GeneratedCrds.checkedInFiles());

  static Stream<Path> invalidManifests() throws IOException {
    try (Stream<Path> files = Files.list(INVALID)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("invalidManifests")
  void isRejectedWithAMessageNamingTheField(Path manifest) throws IOException {
    String firstLine = Files.readAllLines(manifest).get(0);
    assertThat(firstLine).as("first line of %s", manifest).startsWith("# expect: ");
    String expected = firstLine.substring("# expect: ".length());
    JsonNode doc = CrdValidator.readYaml(manifest).get(0);

    ValidationResult result = CRDS.validate(doc);

    assertThat(result.isValid()).as("%s must be rejected", manifest.getFileName()).isFalse();
    assertThat(result.errors())
        .as("errors of %s", manifest.getFileName())
        .anySatisfy(error -> assertThat(error).startsWith(expected));
  }
}
