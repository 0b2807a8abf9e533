package io.kubelvs.agent.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The number formats of keepalived.conf: integers as keepalived's {@code read_int} takes them
 * (decimal, optional sign) and times as its {@code read_timer} takes them (seconds, possibly
 * fractional, kept to the microsecond: {@code advert_int 0.05}, {@code delay_loop 6}).
 */
final class ConfValues {
  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
  // Plain decimals only: strtod would also take "1e-2", "0x1p3" and "inf", nobody writes those.
  private static final Pattern SECONDS = Pattern.compile("\\d+(\\.\\d*)?|\\.\\d+");
  // keepalived's TIMER_HZ: its timers count microseconds and read_timer truncates to them.
  private static final BigDecimal MICROS_PER_SECOND = BigDecimal.valueOf(1_000_000);
  private static final BigDecimal MAX_MICROS = BigDecimal.valueOf(Long.MAX_VALUE / 1_000);

  private ConfValues() {}

  static OptionalLong parseInteger(String text) {
    if (!INTEGER.matcher(text).matches()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(text));
    } catch (NumberFormatException tooLong) {
      return OptionalLong.empty();
    }
  }

  static Optional<Duration> parseSeconds(String text) {
    if (!SECONDS.matcher(text).matches()) {
      return Optional.empty();
    }
    BigDecimal micros =
        new BigDecimal(text).multiply(MICROS_PER_SECOND).setScale(0, RoundingMode.DOWN);
    if (micros.compareTo(MAX_MICROS) > 0) {
      return Optional.empty();
    }
    return Optional.of(Duration.of(micros.longValueExact(), ChronoUnit.MICROS));
  }

  /** A duration the way keepalived.conf writes it: seconds, {@code 0.05}, {@code 6}. */
  static String seconds(Duration duration) {
    return BigDecimal.valueOf(duration.toNanos(), 9).stripTrailingZeros().toPlainString();
  }
}
