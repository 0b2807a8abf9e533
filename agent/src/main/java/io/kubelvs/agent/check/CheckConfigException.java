package io.kubelvs.agent.check;

import java.util.List;
import java.util.stream.Collectors;

/** A health-check configuration was refused; {@link #problems()} names every wrong field. */
public final class CheckConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<CheckConfigProblem> problems;

  public CheckConfigException(List<CheckConfigProblem> problems) {
    super(describe(problems));
    this.problems = List.copyOf(problems);
  }

  public List<CheckConfigProblem> problems() {
    return problems;
  }

  private static String describe(List<CheckConfigProblem> problems) {
    return "health check configuration refused, "
        + problems.size()
        + (problems.size() == 1 ? " problem: " : " problems: ")
        + problems.stream().map(CheckConfigProblem::toString).collect(Collectors.joining("; "));
  }
}
