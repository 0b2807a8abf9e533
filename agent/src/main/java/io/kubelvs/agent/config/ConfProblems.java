package io.kubelvs.agent.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The problems a mapping of the keepalived.conf tree finds, collected rather than thrown one at a
 * time, so that a refused file names everything wrong in it at once.
 */
final class ConfProblems {
  private final List<ConfProblem> problems = new ArrayList<>();

  /** One keyword's reading, which may fail with a problem at its statement. */
  @FunctionalInterface
  interface Step {
    void run() throws KeepalivedConfException;
  }

  /** Runs {@code step}, keeping its problems instead of throwing them. */
  void attempt(Step step) {
    try {
      step.run();
    } catch (KeepalivedConfException e) {
      problems.addAll(e.problems());
    }
  }

  void add(ConfProblem problem) {
    problems.add(problem);
  }

  /** How many so far: a reader compares counts to see whether a block added any. */
  int count() {
    return problems.size();
  }

  /** A keyword without a value (alpha, nopreempt): a problem if it was given one. */
  boolean flag(ConfNode node) {
    if (!node.args().isEmpty()) {
      problems.add(
          node.problem(node.keyword() + " takes no value, got " + String.join(" ", node.args())));
    }
    return true;
  }

  /** Throws every problem collected, if there is any. */
  void throwIfAny() throws KeepalivedConfException {
    if (!problems.isEmpty()) {
      throw new KeepalivedConfException(problems);
    }
  }
}
