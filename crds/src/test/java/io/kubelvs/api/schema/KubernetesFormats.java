package io.kubelvs.api.schema;

import com.google.common.net.InetAddresses;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.format.Format;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The string formats the API server checks (kube-openapi's strfmt registry), for those the JSON
 * Schema library lacks or defines differently. Any other format, such as {@code int32}, is only a
 * hint to clients and is ignored, as Kubernetes does.
 */
final class KubernetesFormats {

  /** Formats the JSON Schema library checks with the same meaning Kubernetes gives them. */
  private static final Set<String> LIBRARY_FORMATS =
      Set.of("date-time", "date", "ipv4", "ipv6", "uuid", "hostname", "email", "uri");

  /** Go's net.ParseMAC: 6, 8 or 20 octets split by ':' or '-', or dot-separated 4-digit groups. */
  private static final Pattern MAC =
      Pattern.compile(
          "([0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5,19})|([0-9A-Fa-f]{2}(-[0-9A-Fa-f]{2}){5,19})"
              + "|([0-9A-Fa-f]{4}(\\.[0-9A-Fa-f]{4}){2,9})");

  /** One element of a Go duration ({@code 1.5h}); the whole string is a sequence of them. */
  private static final Pattern GO_DURATION_ELEMENT =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

  static final List<Format> CUSTOM =
      List.of(
          format("duration", value -> goDuration(value).isPresent()),
          format("cidr", KubernetesFormats::isCidr),
          format("mac", KubernetesFormats::isMac),
          format("byte", KubernetesFormats::isBase64));

  private KubernetesFormats() {}

  /** Whether a {@code format} value is checked at all; unknown formats must not fail. */
  static boolean isChecked(String format) {
    return LIBRARY_FORMATS.contains(format)
        || CUSTOM.stream().anyMatch(f -> f.getName().equals(format));
  }

  /** Go's time.ParseDuration, the syntax of the {@code duration} format. */
  static Optional<Duration> goDuration(String text) {
    String unsigned = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
    if (unsigned.equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    Matcher matcher = GO_DURATION_ELEMENT.matcher(unsigned);
    Duration total = Duration.ZERO;
    int end = 0;
    while (matcher.find() && matcher.start() == end) {
      double amount = Double.parseDouble(matcher.group(1));
      long nanosPerUnit =
          switch (matcher.group(2)) {
            case "ns" -> 1L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 1_000L; // us, µs (micro sign), μs (Greek mu)
          };
      total = total.plusNanos(Math.round(amount * nanosPerUnit));
      end = matcher.end();
    }
    if (end == 0 || end != unsigned.length()) {
      return Optional.empty();
    }
    return Optional.of(text.startsWith("-") ? total.negated() : total);
  }

  private static Format format(String name, Predicate<String> matches) {
    return new Format() {
      @Override
      public String getName() {
        return name;
      }

      @Override
      public boolean matches(ExecutionContext executionContext, String value) {
        return matches.test(value);
      }
    };
  }

  private static boolean isCidr(String value) {
    int slash = value.indexOf('/');
    if (slash < 0 || !InetAddresses.isInetAddress(value.substring(0, slash))) {
      return false;
    }
    String prefix = value.substring(slash + 1);
    int maxPrefix = value.contains(":") ? 128 : 32;
    return prefix.matches("\\d{1,3}") && Integer.parseInt(prefix) <= maxPrefix;
  }

  private static boolean isMac(String value) {
    if (!MAC.matcher(value).matches()) {
      return false;
    }
    int hexDigits = value.replaceAll("[^0-9A-Fa-f]", "").length();
    return hexDigits == 12 || hexDigits == 16 || hexDigits == 40;
  }

  private static boolean isBase64(String value) {
    try {
      Base64.getDecoder().decode(value);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
