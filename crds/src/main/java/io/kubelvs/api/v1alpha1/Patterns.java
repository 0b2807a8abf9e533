package io.kubelvs.api.v1alpha1;

/**
 * Regular expressions for the schema's {@code pattern} keyword. They avoid look-around so that both
 * the API server (Go's RE2) and ECMA-262 engines accept them.
 */
final class Patterns {
  private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
  private static final String IPV4_BODY = OCTET + "(\\." + OCTET + "){3}";
  private static final String H = "[0-9a-fA-F]{1,4}";

  /** RFC 4291 §2.2 text forms 1 and 2 (no embedded IPv4, no zone). */
  private static final String IPV6_BODY =
      "(("
          + H
          + ":){7}"
          + H
          + "|("
          + H
          + ":){1,7}:"
          + "|("
          + H
          + ":){1,6}:"
          + H
          + "|("
          + H
          + ":){1,5}(:"
          + H
          + "){1,2}"
          + "|("
          + H
          + ":){1,4}(:"
          + H
          + "){1,3}"
          + "|("
          + H
          + ":){1,3}(:"
          + H
          + "){1,4}"
          + "|("
          + H
          + ":){1,2}(:"
          + H
          + "){1,5}"
          + "|"
          + H
          + ":(:"
          + H
          + "){1,6}"
          + "|:((:"
          + H
          + "){1,7}|:))";

  private static final String V4_PREFIX = "(3[0-2]|[12]?[0-9])";
  private static final String V6_PREFIX = "(12[0-8]|1[01][0-9]|[1-9]?[0-9])";

  static final String IPV4 = "^" + IPV4_BODY + "$";

  /** An IPv4 or IPv6 address. */
  static final String IP = "^(" + IPV4_BODY + "|" + IPV6_BODY + ")$";

  /** An address with an optional prefix length: {@code 198.18.0.50} or {@code 198.18.0.50/24}. */
  static final String IP_WITH_OPTIONAL_PREFIX =
      "^(" + IPV4_BODY + "(/" + V4_PREFIX + ")?|" + IPV6_BODY + "(/" + V6_PREFIX + ")?)$";

  static final String CIDR =
      "^(" + IPV4_BODY + "/" + V4_PREFIX + "|" + IPV6_BODY + "/" + V6_PREFIX + ")$";

  /** A CIDR, or an inclusive range {@code first-last} of one family (MetalLB's notation). */
  static final String ADDRESS_RANGE =
      "^(" + IPV4_BODY + "/" + V4_PREFIX + "|" + IPV6_BODY + "/" + V6_PREFIX + "|" + IPV4_BODY + "-"
          + IPV4_BODY + "|" + IPV6_BODY + "-" + IPV6_BODY + ")$";

  /** An IPv4 netmask, or an IPv6 prefix length, as ipvsadm -M takes them. */
  static final String PERSISTENCE_NETMASK = "^(" + IPV4_BODY + "|12[0-8]|1[01][0-9]|[1-9]?[0-9])$";

  /** An IPv4 multicast group (224.0.0.0/4). */
  static final String IPV4_MULTICAST = "^(22[4-9]|23[0-9])(\\." + OCTET + "){3}$";

  /** An IPv6 multicast group (ff00::/8). */
  static final String IPV6_MULTICAST = "^[fF][fF][0-9a-fA-F]{2}:[0-9a-fA-F:]*$";

  /**
   * A Go-style duration with units, as in Kubernetes APIs: {@code 1s}, {@code 100ms}, {@code
   * 1m30s}.
   */
  static final String DURATION = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";

  /** A network interface name (IFNAMSIZ is 16 including the terminating NUL). */
  static final String INTERFACE_NAME = "^[a-zA-Z0-9_.:@-]{1,15}$";

  /** An HTTP status code or an inclusive range of them: {@code 200} or {@code 200-299}. */
  static final String STATUS_CODES = "^[1-5][0-9]{2}(-[1-5][0-9]{2})?$";

  /** An MD5 digest in lower-case hex, as keepalived's genhash prints it. */
  static final String MD5_HEX = "^[0-9a-f]{32}$";

  static final String HEX_BYTES = "^([0-9a-fA-F]{2})+$";

  static final String EMAIL = "^[^@\\s]+@[^@\\s]+$";

  /** A host name or an address. */
  static final String HOST = "^[a-zA-Z0-9.:_-]{1,253}$";

  /** A DNS name to query; {@code .} is the root. */
  static final String DNS_NAME = "^(\\.|([a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?\\.?)+)$";

  private Patterns() {}
}
