package io.kubelvs.agent.config;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Expands the file name of an {@code include} line the way keepalived's glob(3) call does: from the
 * directory of the including file (keepalived changes into it before reading), wildcards ({@code
 * *}, {@code ?}, {@code [...]}, {@code {a,b}}) in any path component, a leading {@code .} matched
 * only by a pattern that starts with one, directories dropped, names sorted.
 */
final class IncludeGlob {
  private IncludeGlob() {}

  static boolean hasWildcard(String pattern) {
    return pattern.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }

  /**
   * The paths the pattern names, sorted, directories left out. A pattern without wildcards names
   * its one path, whether or not it exists, so that the caller can say what is wrong with it.
   *
   * @throws IOException a directory on the way could not be listed
   * @throws IllegalArgumentException the pattern is not a valid glob
   */
  static List<Path> expand(Path directory, String pattern) throws IOException {
    Path written = Path.of(pattern);
    if (!hasWildcard(pattern)) {
      return List.of(directory.resolve(written));
    }
    Path root = written.getRoot();
    List<Path> candidates = List.of(root != null ? root : directory);
    for (Path component : root != null ? root.relativize(written) : written) {
      String name = component.toString();
      candidates =
          hasWildcard(name)
              ? matching(candidates, name)
              : candidates.stream().map(c -> c.resolve(name)).toList();
    }
    return candidates.stream()
        .filter(p -> Files.exists(p) && !Files.isDirectory(p))
        .sorted(Comparator.comparing(Path::toString))
        .toList();
  }

  private static List<Path> matching(List<Path> directories, String glob) throws IOException {
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
    boolean matchesHidden = glob.startsWith(".");
    List<Path> matches = new ArrayList<>();
    for (Path directory : directories) {
      if (!Files.isDirectory(directory)) {
        continue;
      }
      try (Stream<Path> entries = Files.list(directory)) {
        entries
            .filter(e -> matcher.matches(e.getFileName()))
            .filter(e -> matchesHidden || !e.getFileName().toString().startsWith("."))
            .forEach(matches::add);
      }
    }
    return matches;
  }
}
