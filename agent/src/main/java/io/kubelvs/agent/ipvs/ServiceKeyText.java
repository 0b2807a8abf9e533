package io.kubelvs.agent.ipvs;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The stable one-line text form of a {@link ServiceKey}: {@code tcp 198.18.0.50 80}, {@code udp
 * 2001:db8:0:0:0:0:0:1 53}, {@code fwmark inet 7}. It is what the owned-services file holds and
 * what plans are sorted by, so it must never depend on anything but the key.
 */
public final class ServiceKeyText {

  /** Orders keys by their text form: plans come out the same whatever the input order. */
  private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /** Starts with a hex digit or ':' and has a ':', so InetAddress parses it and never asks DNS. */
  private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");

  private ServiceKeyText() {}

  public static String format(ServiceKey key) {
    if (key instanceof ServiceKey.Address a) {
      return a.protocol().name().toLowerCase(Locale.ROOT)
          + " "
          + host(a.address())
          + " "
          + a.port();
    }
    ServiceKey.Fwmark f = (ServiceKey.Fwmark) key;
    return "fwmark " + f.family().name().toLowerCase(Locale.ROOT) + " " + f.mark();
  }

  /**
   * Parses the form {@link #format} writes.
   *
   * @throws IllegalArgumentException saying what is wrong with the text
   */
  public static ServiceKey parse(String text) {
    String[] fields = text.trim().split("\\s+");
    if (fields.length != 3) {
      throw new IllegalArgumentException(
          "expected 3 fields (\"tcp 198.18.0.50 80\" or \"fwmark inet 7\"), found "
              + fields.length);
    }
    if (fields[0].equals("fwmark")) {
      return new ServiceKey.Fwmark(family(fields[1]), number(fields[2], "fwmark", 0xFFFF_FFFFL));
    }
    return new ServiceKey.Address(
        protocol(fields[0]), address(fields[1]), (int) number(fields[2], "port", 65535));
  }

  private static String host(InetAddress address) {
    String host = address.getHostAddress();
    int zone = host.indexOf('%');
    return address instanceof Inet6Address && zone >= 0 ? host.substring(0, zone) : host;
  }

  private static IpvsProtocol protocol(String text) {
    for (IpvsProtocol p : IpvsProtocol.values()) {
      if (p.name().toLowerCase(Locale.ROOT).equals(text)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "\"" + text + "\" is not a protocol (tcp, udp, sctp) nor \"fwmark\"");
  }

  private static AddressFamily family(String text) {
    for (AddressFamily f : AddressFamily.values()) {
      if (f.name().toLowerCase(Locale.ROOT).equals(text)) {
        return f;
      }
    }
    throw new IllegalArgumentException("\"" + text + "\" is not an address family (inet, inet6)");
  }

  /** Only literals: InetAddress.getByName would otherwise ask DNS about a corrupt name. */
  private static InetAddress address(String text) {
    try {
      if (IPV4_LITERAL.matcher(text).matches()) {
        byte[] octets = new byte[4];
        String[] parts = text.split("\\.");
        for (int i = 0; i < 4; i++) {
          octets[i] = (byte) number(parts[i], "IPv4 octet", 255);
        }
        return InetAddress.getByAddress(octets);
      }
      if (text.indexOf(':') >= 0 && IPV6_LITERAL.matcher(text).matches()) {
        return InetAddress.getByName(text);
      }
    } catch (UnknownHostException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not an IP address literal: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("\"" + text + "\" is not an IP address literal");
  }

  private static long number(String text, String what, long max) {
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " \"" + text + "\" is not a number", e);
    }
    if (value < 0 || value > max) {
      throw new IllegalArgumentException(what + " " + value + " is outside 0-" + max);
    }
    return value;
  }
}
