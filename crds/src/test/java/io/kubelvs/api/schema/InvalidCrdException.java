package io.kubelvs.api.schema;

/**
 * A CRD the API server would refuse to create, such as one with a validation rule that does not
 * compile. Thrown by {@link CrdValidator#load} so a broken rule fails the build, not a cluster.
 */
public final class InvalidCrdException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  InvalidCrdException(String message) {
    super(message);
  }
}
