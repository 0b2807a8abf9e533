package io.kubelvs.agent.kube;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.kubelvs.agent.netlink.CidrAddress;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API's value forms as the engine takes them: Go durations ({@code 1s}, {@code 100ms}, {@code
 * 1m30s}, the schema's {@code Patterns.DURATION}), address literals, and enums by the name they
 * have in YAML. No host name is ever looked up.
 */
final class ApiValues {
  private static final Pattern DURATION = Pattern.compile("([0-9]+(\\.[0-9]+)?(ms|s|m|h))+");
  private static final Pattern DURATION_PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private ApiValues() {}

  /**
   * {@code text} as a duration.
   *
   * @throws IllegalArgumentException naming the text when it is not a Go duration of the schema's
   *     form or is too long to hold
   */
  static Duration duration(String text) {
    if (!DURATION.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a duration such as 1s, 100ms or 1m30s");
    }
    BigDecimal nanos = BigDecimal.ZERO;
    Matcher part = DURATION_PART.matcher(text);
    while (part.find()) {
      long unit =
          switch (part.group(2)) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
          };
      nanos = nanos.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(unit)));
    }
    try {
      return Duration.ofNanos(nanos.setScale(0, RoundingMode.UNNECESSARY).longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is finer than a nanosecond or longer than the engine can hold", e);
    }
  }

  /** {@code duration} as the API writes it: {@code 3s}, {@code 100ms}, finer as {@code 0.5ms}. */
  static String text(Duration duration) {
    if (duration.toNanos() % 1_000_000_000L == 0) {
      return duration.toSeconds() + "s";
    }
    return BigDecimal.valueOf(duration.toNanos(), 6).stripTrailingZeros().toPlainString() + "ms";
  }

  /** {@code text} as a duration, or {@code unset} when it is null (the schema's default). */
  static Duration duration(String text, Duration unset) {
    return text == null ? unset : duration(text);
  }

  /**
   * {@code text}, an IPv4 or IPv6 literal, as an address.
   *
   * @throws IllegalArgumentException when it is not one
   */
  static InetAddress address(String text) {
    if (text.indexOf('/') < 0 && isLiteral(text)) {
      try {
        return CidrAddress.parse(text).address();
      } catch (IllegalArgumentException e) {
        // named below
      }
    }
    throw new IllegalArgumentException("\"" + text + "\" is not an IP address");
  }

  /**
   * {@code text}, an address with an optional prefix length; without one the address stands alone
   * (/32, /128).
   */
  static CidrAddress cidr(String text) {
    int slash = text.indexOf('/');
    if (isLiteral(slash < 0 ? text : text.substring(0, slash))) {
      try {
        return CidrAddress.parse(text);
      } catch (IllegalArgumentException e) {
        // named below
      }
    }
    throw new IllegalArgumentException(
        "\"" + text + "\" is not an IP address with an optional /prefix length");
  }

  /** The name {@code value} has in YAML: its {@code @JsonProperty}, else its constant's name. */
  static String jsonName(Enum<?> value) {
    try {
      JsonProperty property =
          value.getDeclaringClass().getField(value.name()).getAnnotation(JsonProperty.class);
      return property == null ? value.name() : property.value();
    } catch (NoSuchFieldException impossible) {
      throw new AssertionError(impossible);
    }
  }

  /**
   * An IPv4 literal in range, or something IPv6-like: anything else would be looked up as a host
   * name by {@link InetAddress#getByName}.
   */
  private static boolean isLiteral(String text) {
    if (IPV4.matcher(text).matches()) {
      return Arrays.stream(text.split("\\.")).allMatch(octet -> Integer.parseInt(octet) <= 255);
    }
    return text.contains(":") && text.matches("[0-9A-Fa-f:.]+");
  }
}
