package io.kubelvs.agent.config;

import java.util.Objects;

/**
 * One thing wrong in keepalived.conf.
 *
 * @param position the file and line it was found on
 * @param message what is wrong, with the text found: {@code unbalanced '}'}
 */
public record ConfProblem(ConfPosition position, String message) {

  public ConfProblem {
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(message, "message");
  }

  /** {@code keepalived.conf:12: unbalanced '}'}. */
  @Override
  public String toString() {
    return position + ": " + message;
  }
}
