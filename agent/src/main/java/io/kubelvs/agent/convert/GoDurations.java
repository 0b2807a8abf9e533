package io.kubelvs.agent.convert;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * keepalived's times as the API writes durations (Kubernetes' Go form): {@code delay_loop 3} is
 * {@code 3s}, {@code advert_int 0.1} is {@code 100ms}.
 */
final class GoDurations {
  private GoDurations() {}

  /** Whole seconds as {@code 3s}, whole milliseconds as {@code 100ms}, finer as {@code 0.5ms}. */
  static String format(Duration duration) {
    if (duration.toNanos() % 1_000_000_000L == 0) {
      return duration.toSeconds() + "s";
    }
    return BigDecimal.valueOf(duration.toNanos(), 6).stripTrailingZeros().toPlainString() + "ms";
  }
}
