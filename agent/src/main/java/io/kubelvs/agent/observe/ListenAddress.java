package io.kubelvs.agent.observe;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text form of where the HTTP endpoints listen: {@code ADDRESS:PORT} with an IP literal ({@code
 * 127.0.0.1:9650}, {@code [::1]:9650}), {@code :PORT} for every address, or {@code off}. Only
 * literals: a name would make the agent's start depend on DNS.
 */
public final class ListenAddress {
  /** What {@code --http} is when it is not given: every address, port 9650. */
  public static final String DEFAULT = ":9650";

  public static final String OFF = "off";

  private static final Pattern FORM =
      Pattern.compile(
          "(?:\\[([0-9A-Fa-f.]*:[0-9A-Fa-f:.]*)]|(\\d{1,3}(?:\\.\\d{1,3}){3})?):(\\d{1,5})");

  private ListenAddress() {}

  /**
   * The address to listen on, or empty for {@code off}.
   *
   * @throws IllegalArgumentException saying what is wrong with {@code text}
   */
  public static Optional<InetSocketAddress> parse(String text) {
    if (text.equals(OFF)) {
      return Optional.empty();
    }
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not ADDRESS:PORT (127.0.0.1:9650, [::1]:9650, :9650) nor off");
    }
    int port = Integer.parseInt(m.group(3));
    if (port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 0-65535");
    }
    String host = m.group(1) != null ? m.group(1) : m.group(2);
    if (host == null) {
      return Optional.of(new InetSocketAddress(port));
    }
    if (m.group(2) != null) {
      requireOctets(host);
    }
    try {
      // A checked IPv4 literal, or text with a ':' (only ever an IPv6 literal): no DNS.
      return Optional.of(new InetSocketAddress(InetAddress.getByName(host), port));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("\"" + host + "\" is not an IP address", e);
    }
  }

  /** Without it, getByName would take "198.18.0.256" for a name and ask DNS. */
  private static void requireOctets(String ipv4) {
    for (String octet : ipv4.split("\\.")) {
      if (Integer.parseInt(octet) > 255) {
        throw new IllegalArgumentException("\"" + ipv4 + "\" is not an IPv4 address");
      }
    }
  }
}
