package io.kubelvs.agent.kube;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The problems a mapping of a Director finds, collected rather than thrown one at a time, so that a
 * refused spec names everything wrong in it at once.
 */
final class SpecProblems {
  private final List<DirectorSpecProblem> problems = new ArrayList<>();

  /** Reads one value, which may fail with an IllegalArgumentException saying why. */
  @FunctionalInterface
  interface Read<T> {
    T get();
  }

  /**
   * The path of entry {@code index} of the list at {@code list}: by its name where it has one, as
   * the API server's list-map keys are names ({@code spec.vrrpInstances[VI_1]}), else by index.
   */
  static String entry(String list, int index, String name) {
    return list + "[" + (name == null || name.isBlank() ? Integer.toString(index) : name) + "]";
  }

  void add(String path, String message) {
    problems.add(new DirectorSpecProblem(path, message));
  }

  /** {@code read}'s value, or empty with its failure recorded as a problem at {@code path}. */
  <T> Optional<T> read(String path, Read<T> read) {
    try {
      return Optional.of(read.get());
    } catch (IllegalArgumentException e) {
      add(path, e.getMessage());
      return Optional.empty();
    }
  }

  /** A required field: a problem at {@code path} when it is null. */
  <T> Optional<T> require(String path, T value) {
    if (value == null) {
      add(path, "missing");
    }
    return Optional.ofNullable(value);
  }

  /** How many so far: a mapping compares counts to see whether a part added any. */
  int count() {
    return problems.size();
  }

  List<DirectorSpecProblem> all() {
    return List.copyOf(problems);
  }
}
