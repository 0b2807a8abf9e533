package io.kubelvs.agent.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A keepalived.conf as keepalived's parser reads it, before any keyword is understood: the
 * statements of the main file and of the files it includes, as a tree of {@link ConfNode}s that
 * each know their file and line.
 *
 * <p>This is the syntax only. Which keywords exist and what they mean is the business of the
 * mapping to the agent's configuration, which reports with {@link ConfNode#unknownKeyword()} and
 * the query methods of {@link ConfNode}.
 *
 * @param root the top of the tree; its children are the top-level statements
 * @param warnings what keepalived accepts but an operator should hear of: an {@code include}
 *     pattern that matches no file
 */
public record KeepalivedConf(ConfNode root, List<ConfProblem> warnings) {

  public KeepalivedConf {
    Objects.requireNonNull(root, "root");
    warnings = List.copyOf(warnings);
  }

  /**
   * Reads a keepalived.conf and what it includes. A conditional line ({@code @main ...}) is a
   * problem here: use {@link #parse(Path, String)} with keepalived's config id.
   *
   * @throws KeepalivedConfException listing every problem found in every file
   */
  public static KeepalivedConf parse(Path mainFile) throws KeepalivedConfException {
    return new KeepalivedConfParser(Optional.empty()).parse(mainFile);
  }

  /**
   * Reads a keepalived.conf and what it includes, keeping the conditional lines meant for {@code
   * configId} ({@code @configId ...}, {@code @^other ...}) and dropping the others. keepalived's
   * own default for the id is the host name up to its first dot; choosing it is the caller's job.
   *
   * @throws KeepalivedConfException listing every problem found in every file
   */
  public static KeepalivedConf parse(Path mainFile, String configId)
      throws KeepalivedConfException {
    return new KeepalivedConfParser(Optional.of(configId)).parse(mainFile);
  }

  /** The top-level statements with this keyword, in file order: {@code virtual_server}. */
  public List<ConfNode> statements(String keyword) {
    return root.children(keyword);
  }
}
