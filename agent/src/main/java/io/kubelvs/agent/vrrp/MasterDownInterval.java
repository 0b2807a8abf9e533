package io.kubelvs.agent.vrrp;

import java.time.Duration;
import java.util.Locale;

/**
 * The backup's timeout, from the RFCs' timer definitions. keepalived computes the same in
 * microseconds; here it is nanoseconds, so the two agree to within a microsecond.
 */
public final class MasterDownInterval {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private MasterDownInterval() {}

  /** Master_Down_Interval = (3 * Master_Adver_Interval) + Skew_Time (RFC 5798 §6.1). */
  public static Duration of(int version, int priority, Duration masterAdverInterval) {
    return masterAdverInterval
        .multipliedBy(3)
        .plus(skewTime(version, priority, masterAdverInterval));
  }

  /** The skew of the given VRRP version: a higher priority waits less. */
  public static Duration skewTime(int version, int priority, Duration masterAdverInterval) {
    return switch (version) {
      case 2 -> skewTimeV2(priority);
      case 3 -> skewTimeV3(priority, masterAdverInterval);
      default -> throw new IllegalArgumentException("VRRP version " + version + " is not 2 or 3");
    };
  }

  /** Skew_Time = (((256 - priority) * Master_Adver_Interval) / 256) (RFC 5798 §6.1). */
  public static Duration skewTimeV3(int priority, Duration masterAdverInterval) {
    return Duration.ofNanos((256 - checked(priority)) * masterAdverInterval.toNanos() / 256);
  }

  /** Skew_Time = ((256 - Priority) / 256) seconds (RFC 3768 §6.1), whatever the interval. */
  public static Duration skewTimeV2(int priority) {
    return Duration.ofNanos((256 - checked(priority)) * NANOS_PER_SECOND / 256);
  }

  /** "3.609s": how durations appear in state-change reasons and logs. */
  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.3fs", d.toNanos() / (double) NANOS_PER_SECOND);
  }

  private static long checked(int priority) {
    if (priority < 0 || priority > 255) {
      throw new IllegalArgumentException("VRRP priority " + priority + " is not in 0..255");
    }
    return priority;
  }
}
