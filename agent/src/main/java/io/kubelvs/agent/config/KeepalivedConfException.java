package io.kubelvs.agent.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * keepalived.conf was refused; {@link #problems()} lists every problem found, each with its file
 * and line.
 *
 * <p>Checked on purpose: the only callers are agent start and configuration reload, and each must
 * decide what a broken file means (exit with the list; keep running the previous configuration), so
 * the compiler should not let that decision be skipped. The query methods of {@link ConfNode} throw
 * it too, so that the mapping to the agent's model reports in the same {@code file:line: message}
 * form and lands in the same handler.
 */
public final class KeepalivedConfException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<ConfProblem> problems;

  public KeepalivedConfException(List<ConfProblem> problems) {
    super(describe(problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a refused configuration has at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public KeepalivedConfException(ConfProblem problem) {
    this(List.of(problem));
  }

  /** Every problem, in the order the files were read. */
  public List<ConfProblem> problems() {
    return problems;
  }

  private static String describe(List<ConfProblem> problems) {
    if (problems.size() == 1) {
      return problems.get(0).toString();
    }
    return problems.size()
        + " problems in the keepalived configuration:\n"
        + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n"));
  }
}
