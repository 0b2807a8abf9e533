package io.kubelvs.agent.vrrp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The golden packets keepalived 2.2.7 sent in the lab (test resources golden/vrrp/, copied from
 * ../shared/vectors/keepalived-2.2.7/). Each file has the hex of the frame and of its parts, each
 * after a comment naming it, and a "decoded:" comment with the fields as the capture tool read
 * them: the documented values the tests compare against.
 */
record VrrpPacketVectors(String name, Map<String, byte[]> parts, Map<String, String> decoded) {

  /** Every VRRP advert captured: v2 with PASS auth and v3, both groups, priorities 100/98/0. */
  static final List<String> ADVERTS =
      List.of(
          "vrrpv2-224.0.0.18-prio0",
          "vrrpv2-224.0.0.18-prio100",
          "vrrpv2-224.0.0.18-prio98",
          "vrrpv2-224.0.100.99-prio0",
          "vrrpv2-224.0.100.99-prio100",
          "vrrpv2-224.0.100.99-prio98",
          "vrrpv3-224.0.0.18-prio0",
          "vrrpv3-224.0.0.18-prio100",
          "vrrpv3-224.0.0.18-prio98",
          "vrrpv3-224.0.100.99-prio0",
          "vrrpv3-224.0.100.99-prio100-adv100cs",
          "vrrpv3-224.0.100.99-prio100",
          "vrrpv3-224.0.100.99-prio98");

  static final String GARP = "garp-keepalived";

  static VrrpPacketVectors load(String name) {
    String text = resource("/golden/vrrp/" + name + ".txt");
    Map<String, byte[]> parts = new HashMap<>();
    Map<String, String> decoded = new HashMap<>();
    String pendingPart = null;
    for (String line : text.lines().toList()) {
      if (line.startsWith("# decoded:")) {
        decoded = parseDecoded(line);
      } else if (line.startsWith("# tcpdump")) {
        break; // the rest is tcpdump's own dump of the same bytes
      } else if (line.startsWith("#") && line.endsWith("):")) {
        pendingPart = line.substring(2, line.indexOf(" (")); // "# frame (Ethernet, 54 bytes):"
      } else if (pendingPart != null && !line.startsWith("#")) {
        parts.put(pendingPart, HexFormat.of().parseHex(line.strip()));
        pendingPart = null;
      }
    }
    return new VrrpPacketVectors(name, parts, decoded);
  }

  byte[] frame() {
    return part("frame");
  }

  byte[] ipHeader() {
    return part("IPv4 header");
  }

  byte[] vrrpMessage() {
    return part("VRRP message");
  }

  byte[] arpPayload() {
    return part("ARP payload");
  }

  /**
   * The IPv4 datagram as a raw socket returns it: the frame without its 14-byte Ethernet header.
   */
  byte[] ipv4Datagram() {
    byte[] frame = frame();
    return Arrays.copyOfRange(frame, 14, frame.length);
  }

  int version() {
    return Integer.parseInt(decoded.get("version"));
  }

  InetAddress source() {
    return address(decoded.get("source"));
  }

  InetAddress destination() {
    return address(decoded.get("destination"));
  }

  String field(String key) {
    String value = decoded.get(key);
    if (value == null) {
      throw new IllegalArgumentException(name + " documents no field " + key + ": " + decoded);
    }
    return value;
  }

  int intField(String key) {
    return Integer.decode(field(key));
  }

  private byte[] part(String part) {
    byte[] bytes = parts.get(part);
    if (bytes == null) {
      throw new IllegalArgumentException(name + " has no " + part + ", only " + parts.keySet());
    }
    return bytes.clone();
  }

  /**
   * "# decoded: 1795631500.064619 02:00:.. > 01:00:.. VRRPv2 198.18.0.11 > 224.0.0.18 ttl=255
   * tos=0xc0 vrid=99 prio=0 adv=100cs addrs=198.18.0.50 auth_type=1 auth='571f97b2' csum_ok=True"
   */
  private static Map<String, String> parseDecoded(String line) {
    String[] words = line.substring("# decoded:".length()).trim().split("\\s+");
    Map<String, String> fields = new HashMap<>();
    for (int i = 0; i < words.length; i++) {
      String word = words[i];
      if (word.startsWith("VRRPv")) {
        fields.put("version", word.substring("VRRPv".length()));
        fields.put("source", words[i + 1]);
        fields.put("destination", words[i + 3]);
      } else if (word.contains("=")) {
        String value = word.substring(word.indexOf('=') + 1);
        fields.put(word.substring(0, word.indexOf('=')), value.replace("'", ""));
      }
    }
    return fields;
  }

  static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text); // a literal: no lookup is made
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  /**
   * An IPv6 address, IPv4-mapped ones included (InetAddress.getByName would return ::ffff:a.b.c.d
   * as an Inet4Address).
   */
  static Inet6Address ipv6(String literal) {
    byte[] bytes = address(literal).getAddress();
    if (bytes.length == 4) {
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(bytes, 0, mapped, 12, 4);
      bytes = mapped;
    }
    try {
      return Inet6Address.getByAddress(null, bytes, -1);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  private static String resource(String path) {
    try (InputStream in = VrrpPacketVectors.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
