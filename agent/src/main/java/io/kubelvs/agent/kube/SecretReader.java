package io.kubelvs.agent.kube;

import java.util.Map;
import java.util.Optional;

/**
 * Reads a key of a Secret in the namespace kubelvs runs in, where a Director's {@code
 * SecretKeySelector}s point (the VRRP password). An interface, so that the mapping stays a pure
 * function: the agent reads through its informer's cache, tests from a map.
 */
@FunctionalInterface
public interface SecretReader {

  /**
   * The decoded value of {@code key} in the Secret {@code secretName}; empty when there is no such
   * Secret or it has no such key.
   */
  Optional<String> read(String secretName, String key);

  /**
   * How problems name the Secret, e.g. {@code kubelvs-system/vrrp-auth}; an implementation that
   * knows its namespace says it here.
   */
  default String describe(String secretName) {
    return secretName;
  }

  /** Secrets of {@code namespace} given as name → key → value. */
  static SecretReader of(String namespace, Map<String, Map<String, String>> secrets) {
    Map<String, Map<String, String>> copy = Map.copyOf(secrets);
    return new SecretReader() {
      @Override
      public Optional<String> read(String secretName, String key) {
        return Optional.ofNullable(copy.get(secretName)).map(data -> data.get(key));
      }

      @Override
      public String describe(String secretName) {
        return namespace + "/" + secretName;
      }
    };
  }
}
