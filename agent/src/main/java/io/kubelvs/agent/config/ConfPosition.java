package io.kubelvs.agent.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where something was written in keepalived.conf or one of the files it includes.
 *
 * @param file the file, as the parser reached it: the main file as given, an included file resolved
 *     against the directory of the file that includes it
 * @param line 1-based line number; 0 stands for the file as a whole
 */
public record ConfPosition(Path file, int line) {

  public ConfPosition {
    Objects.requireNonNull(file, "file");
    if (line < 0) {
      throw new IllegalArgumentException("line must be 0 or more, got " + line);
    }
  }

  /** The file as a whole, for problems that belong to no line (a file that cannot be read). */
  public static ConfPosition wholeFile(Path file) {
    return new ConfPosition(file, 0);
  }

  /** {@code keepalived.conf:12}, the form compilers and editors understand. */
  @Override
  public String toString() {
    return line == 0 ? file.toString() : file + ":" + line;
  }
}
