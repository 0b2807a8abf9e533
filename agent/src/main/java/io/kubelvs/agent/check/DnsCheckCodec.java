package io.kubelvs.agent.check;

import io.kubelvs.agent.check.DnsCheck.DnsQueryType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The bytes of DNS_CHECK: the query keepalived sends (check_dns.c, dns_make_query) and the header
 * of a reply, which is all keepalived reads of it. RFC 1035 §4.1:
 *
 * <pre>
 * header   0 ID       be16
 *          2 flags    QR(1) OPCODE(4) AA(1) TC(1) RD(1) | RA(1) Z(3) RCODE(4)
 *          4 QDCOUNT  be16, 1 in our query
 *          6 ANCOUNT  be16
 *          8 NSCOUNT  be16
 *         10 ARCOUNT  be16
 * question 12 QNAME   labels (length byte, bytes), ending with the root's empty label
 *             QTYPE   be16
 *             QCLASS  be16, 1 = IN
 * </pre>
 */
final class DnsCheckCodec {
  static final int HEADER_LENGTH = 12;
  static final int FLAGS_OFFSET = 2;
  static final int QR = 0x8000;
  static final int RD = 0x0100;
  static final int RCODE_MASK = 0x000f;
  static final int CLASS_IN = 1;
  private static final int MAX_LABEL_BYTES = 63;
  private static final int MAX_NAME_BYTES = 255;

  /** TYPE values of RFC 1035 §3.2.2 and RFC 3596 (AAAA). */
  private static final Map<DnsQueryType, Integer> TYPE_CODES =
      Map.of(
          DnsQueryType.A, 1,
          DnsQueryType.NS, 2,
          DnsQueryType.CNAME, 5,
          DnsQueryType.SOA, 6,
          DnsQueryType.MX, 15,
          DnsQueryType.TXT, 16,
          DnsQueryType.AAAA, 28);

  /** RCODE names of RFC 1035 §4.1.1 and RFC 2136 §2.2 (the header carries 4 bits). */
  private static final String[] RCODE_NAMES = {
    "NOERROR",
    "FORMERR",
    "SERVFAIL",
    "NXDOMAIN",
    "NOTIMP",
    "REFUSED",
    "YXDOMAIN",
    "YXRRSET",
    "NXRRSET",
    "NOTAUTH",
    "NOTZONE"
  };

  private DnsCheckCodec() {}

  static int typeCode(DnsQueryType type) {
    return TYPE_CODES.get(type);
  }

  /**
   * The name as QNAME: "." (or "") is the root; a trailing dot is optional, as keepalived treats
   * it.
   *
   * @throws IllegalArgumentException for an empty label, or a label or name too long for DNS
   */
  static byte[] encodeName(String name) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String relative = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    if (!relative.isEmpty()) {
      for (String label : relative.split("\\.", -1)) {
        byte[] bytes = label.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_LABEL_BYTES) {
          throw new IllegalArgumentException(
              "DNS name \"" + name + "\" has a label of " + bytes.length + " bytes (1-63 allowed)");
        }
        out.write(bytes.length);
        out.writeBytes(bytes);
      }
    }
    out.write(0);
    if (out.size() > MAX_NAME_BYTES) {
      throw new IllegalArgumentException(
          "DNS name \"" + name + "\" takes " + out.size() + " bytes, at most 255 are allowed");
    }
    return out.toByteArray();
  }

  /** keepalived's query: one question of class IN, recursion desired, nothing else. */
  static byte[] query(int id, DnsQueryType type, byte[] encodedName) {
    byte[] out = new byte[HEADER_LENGTH + encodedName.length + 4];
    putShort(out, 0, id);
    putShort(out, FLAGS_OFFSET, RD);
    putShort(out, 4, 1);
    System.arraycopy(encodedName, 0, out, HEADER_LENGTH, encodedName.length);
    int question = HEADER_LENGTH + encodedName.length;
    putShort(out, question, typeCode(type));
    putShort(out, question + 2, CLASS_IN);
    return out;
  }

  /** The header of a reply; empty when the datagram is too short to hold one. */
  static Optional<Header> header(byte[] datagram) {
    if (datagram.length < HEADER_LENGTH) {
      return Optional.empty();
    }
    return Optional.of(new Header(getShort(datagram, 0), getShort(datagram, FLAGS_OFFSET)));
  }

  /** A reply's ID and flags. */
  record Header(int id, int flags) {
    boolean isResponse() {
      return (flags & QR) != 0;
    }

    int rcode() {
      return flags & RCODE_MASK;
    }

    /** NOERROR, NXDOMAIN, ...; "RCODE 12" for one without a name here. */
    String rcodeName() {
      return rcode() < RCODE_NAMES.length ? RCODE_NAMES[rcode()] : "RCODE " + rcode();
    }
  }

  private static void putShort(byte[] out, int offset, int value) {
    out[offset] = (byte) (value >>> 8);
    out[offset + 1] = (byte) value;
  }

  private static int getShort(byte[] in, int offset) {
    return (Byte.toUnsignedInt(in[offset]) << 8) | Byte.toUnsignedInt(in[offset + 1]);
  }
}
