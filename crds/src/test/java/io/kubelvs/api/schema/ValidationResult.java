package io.kubelvs.api.schema;

import java.util.List;

/**
 * What the emulated API server said about one manifest: every error it found, each starting with
 * the offending field path, in sorted order so tests and diffs are stable.
 */
public record ValidationResult(List<String> errors) {

  public ValidationResult {
    errors = errors.stream().sorted().toList();
  }

  public boolean isValid() {
    return errors.isEmpty();
  }
}
