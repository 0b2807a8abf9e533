package io.kubelvs.agent.check;

import java.util.Objects;

/**
 * One thing wrong in a health-check configuration.
 *
 * @param field where, as a path into the configuration: {@code
 *     virtualServers[0].realServers[1].check.connectTimeout}
 * @param message what is wrong, with the value found: {@code must be positive, got PT0S}
 */
public record CheckConfigProblem(String field, String message) {

  public CheckConfigProblem {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
