package io.kubelvs.agent.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes configuration files for tests and renders trees without their positions. */
final class ConfFiles {
  private ConfFiles() {}

  /** Writes {@code text} to {@code dir/name}, creating the directories on the way. */
  static Path write(Path dir, String name, String text) {
    Path file = dir.resolve(name);
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The problems a refused file produced, as {@code file:line: message} lines. */
  static List<String> problemsOf(Path file) {
    try {
      KeepalivedConf.parse(file);
    } catch (KeepalivedConfException refused) {
      return refused.problems().stream().map(ConfProblem::toString).toList();
    }
    throw new AssertionError(file + " was accepted, a problem was expected");
  }

  /** The tree as nested lists of words and blocks, for comparing shapes across files. */
  static String shape(ConfNode node) {
    StringBuilder out = new StringBuilder();
    for (ConfNode child : node.children()) {
      out.append(String.join(" ", child.words()));
      if (child.block()) {
        out.append(" {").append(shape(child)).append("}");
      }
      out.append(";");
    }
    return out.toString();
  }
}
