package io.kubelvs.agent.kube;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A Director's spec was refused; {@link #problems()} names every problem found, each with its path
 * in the resource, so the agent can report them all at once (status condition Invalid, an Event)
 * and keep running its last good configuration.
 *
 * <p>Checked for the same reason as {@code KeepalivedConfException}: every caller must decide what
 * a refused spec means.
 */
public final class DirectorSpecException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<DirectorSpecProblem> problems;

  public DirectorSpecException(String director, List<DirectorSpecProblem> problems) {
    super(describe(director, problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a refused spec has at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** Every problem, in the order of the spec: VRRP instances, virtual servers, notification. */
  public List<DirectorSpecProblem> problems() {
    return problems;
  }

  private static String describe(String director, List<DirectorSpecProblem> problems) {
    String what = "Director " + director;
    if (problems.size() == 1) {
      return what + ": " + problems.get(0);
    }
    return what
        + ": "
        + problems.size()
        + " problems:\n"
        + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n"));
  }
}
