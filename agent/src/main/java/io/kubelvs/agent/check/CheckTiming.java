package io.kubelvs.agent.check;

import java.time.Duration;
import java.util.Optional;

/**
 * When a real server's check runs and how many failures make it down, in keepalived's words
 * (keepalived.conf(5), virtual_server / real_server / checker blocks):
 *
 * @param interval delay_loop: the time between the end of one check and the start of the next
 * @param connectTimeout connect_timeout: how long one attempt may take to connect and to each read
 * @param retries retry (nb_get_retry before 2.0): checks made again after a failure of an up server
 *     before it is declared down, so {@code retries + 1} failures in a row take it down
 * @param retryDelay delay_before_retry: the time before such a repeated check
 * @param warmup warmup: the first check starts after a random delay in [0, warmup]; empty means the
 *     interval (keepalived's default), zero starts every first check at once
 * @param alpha alpha: the server starts down and needs one successful check to come up
 */
public record CheckTiming(
    Duration interval,
    Duration connectTimeout,
    int retries,
    Duration retryDelay,
    Optional<Duration> warmup,
    boolean alpha) {

  /** keepalived.conf(5): "delay_loop ... (60 seconds if not specified)". */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);

  /** keepalived.conf(5): connect_timeout "The default is 5 seconds". */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  public CheckTiming {
    warmup = Optional.ofNullable(warmup).flatMap(w -> w);
  }

  /**
   * keepalived's defaults for {@code method} (keepalived.conf(5) and check_api.c queue_checker):
   * retry 1, but 3 for DNS_CHECK and 0 for MISC_CHECK; delay_before_retry 3 s for HTTP_GET and
   * SSL_GET, delay_loop for DNS_CHECK, 1 s otherwise; warmup up to delay_loop; no alpha.
   */
  public static CheckTiming keepalivedDefaults(CheckMethod method) {
    int retries = 1;
    Duration retryDelay = Duration.ofSeconds(1);
    if (method instanceof HttpGetCheck) {
      retryDelay = Duration.ofSeconds(3);
    } else if (method instanceof DnsCheck) {
      retries = 3;
      retryDelay = DEFAULT_INTERVAL;
    } else if (method instanceof MiscCheck) {
      retries = 0;
    }
    return new CheckTiming(
        DEFAULT_INTERVAL, DEFAULT_CONNECT_TIMEOUT, retries, retryDelay, Optional.empty(), false);
  }

  /** The longest first delay: warmup if set, else the interval. */
  public Duration effectiveWarmup() {
    return warmup.orElse(interval);
  }

  public CheckTiming withInterval(Duration newInterval) {
    return new CheckTiming(newInterval, connectTimeout, retries, retryDelay, warmup, alpha);
  }

  public CheckTiming withConnectTimeout(Duration newConnectTimeout) {
    return new CheckTiming(interval, newConnectTimeout, retries, retryDelay, warmup, alpha);
  }

  public CheckTiming withRetries(int newRetries, Duration newRetryDelay) {
    return new CheckTiming(interval, connectTimeout, newRetries, newRetryDelay, warmup, alpha);
  }

  public CheckTiming withWarmup(Duration newWarmup) {
    return new CheckTiming(
        interval, connectTimeout, retries, retryDelay, Optional.of(newWarmup), alpha);
  }

  public CheckTiming withAlpha(boolean newAlpha) {
    return new CheckTiming(interval, connectTimeout, retries, retryDelay, warmup, newAlpha);
  }
}
