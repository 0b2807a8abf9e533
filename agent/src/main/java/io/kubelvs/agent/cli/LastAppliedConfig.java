package io.kubelvs.agent.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration the director last applied, kept in its state directory as one self-contained
 * keepalived.conf (includes spliced in, conditional lines decided): a restart whose file is gone (a
 * wiped /etc, a configuration-management run half done) comes up from it rather than not at all.
 * Written after each applied configuration, atomically, so a crash leaves the old or the new.
 */
final class LastAppliedConfig {
  private static final Logger LOG = LoggerFactory.getLogger(LastAppliedConfig.class);
  static final String FILE_NAME = "last-applied.conf";

  private LastAppliedConfig() {}

  static Path in(Path stateDir) {
    return stateDir.resolve(FILE_NAME);
  }

  /** Records {@code text}, read from {@code source}; a failure is logged, the director runs on. */
  static void save(Path stateDir, Path source, String text) {
    Path file = in(stateDir);
    Path temporary = stateDir.resolve(FILE_NAME + ".tmp");
    String header =
        "# The configuration kubelvs-agent last applied, from "
            + source
            + " at "
            + Instant.now()
            + ".\n# A start finds it here when its --config file is gone.\n";
    try {
      Files.writeString(temporary, header + text, StandardCharsets.UTF_8);
      try {
        Files.move(
            temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      LOG.error("cannot record the applied configuration in {}: {}", file, e.toString());
    }
  }
}
