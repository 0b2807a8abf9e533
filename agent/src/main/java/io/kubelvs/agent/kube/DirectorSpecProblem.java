package io.kubelvs.agent.kube;

import java.util.Objects;

/**
 * One thing wrong in a Director's spec.
 *
 * @param path where, in the resource's own field names, list entries by their name: {@code
 *     spec.vrrpInstances[VI_1].authentication}, {@code
 *     spec.virtualServers[web/seed-http/80-tcp].realServers[1].port}; an entry without a name by
 *     its index
 * @param message what is wrong, with the value found
 */
public record DirectorSpecProblem(String path, String message) {
  public DirectorSpecProblem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return path + ": " + message;
  }
}
