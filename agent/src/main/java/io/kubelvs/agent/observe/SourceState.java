package io.kubelvs.agent.observe;

import io.kubelvs.agent.observe.DirectorStatus.Source;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether one source of facts could be read, and how often it could not. A failing source is logged
 * once when it starts failing and once when it recovers, not at every scrape. Used under the
 * observer's lock.
 */
final class SourceState {
  private static final Logger LOG = LoggerFactory.getLogger(SourceState.class);

  private final String name;
  private boolean ok = true;
  private long errors;
  private String lastError;

  SourceState(String name) {
    this.name = name;
  }

  /** {@code read}'s value, or empty when it threw; either way the outcome is recorded. */
  <T> Optional<T> read(Supplier<T> read) {
    try {
      T value = read.get();
      if (!ok) {
        LOG.info("observe source readable again source={}", name);
      }
      ok = true;
      lastError = null;
      return Optional.of(value);
    } catch (RuntimeException e) {
      LOG.debug("observe source read failed source={}", name, e);
      failed(String.valueOf(e.getMessage()));
      return Optional.empty();
    }
  }

  /** Records that the source was not read, and why. */
  void failed(String why) {
    if (ok) {
      LOG.warn("observe source unreadable source={} error=\"{}\"", name, why);
    }
    ok = false;
    errors++;
    lastError = why;
  }

  Source status() {
    return new Source(name, ok, errors, lastError);
  }
}
