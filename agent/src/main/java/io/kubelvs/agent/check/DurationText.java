package io.kubelvs.agent.check;

import java.math.BigDecimal;
import java.time.Duration;

/** Durations the way an operator writes them in keepalived.conf: "3s", "1.5s", "250ms". */
final class DurationText {
  private DurationText() {}

  static String of(Duration duration) {
    if (duration.isNegative() || duration.compareTo(Duration.ofSeconds(1)) >= 0) {
      BigDecimal seconds =
          BigDecimal.valueOf(duration.getSeconds())
              .add(BigDecimal.valueOf(duration.getNano(), 9))
              .stripTrailingZeros();
      return seconds.toPlainString() + "s";
    }
    if (duration.getNano() % 1_000_000 == 0) {
      return duration.toMillis() + "ms";
    }
    return duration.toNanos() + "ns";
  }
}
