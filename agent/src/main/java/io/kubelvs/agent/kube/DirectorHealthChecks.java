package io.kubelvs.agent.kube;

import io.kubelvs.agent.check.CheckMethod;
import io.kubelvs.agent.check.CheckTiming;
import io.kubelvs.agent.check.DnsCheck;
import io.kubelvs.agent.check.HttpGetCheck;
import io.kubelvs.agent.check.HttpVersion;
import io.kubelvs.agent.check.MiscCheck;
import io.kubelvs.agent.check.PingCheck;
import io.kubelvs.agent.check.RealServerCheck;
import io.kubelvs.agent.check.StatusCodeRange;
import io.kubelvs.agent.check.TcpCheck;
import io.kubelvs.agent.check.UdpCheck;
import io.kubelvs.api.v1alpha1.HealthCheck;
import io.kubelvs.api.v1alpha1.HttpCheck;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A virtual server's {@code healthCheck} as the checker core's method and timing, which every real
 * server of the virtual server gets (keepalived checks each real server its own way; the API checks
 * all alike).
 *
 * <p>Unset fields take the schema's defaults, not keepalived's: the API server fills them in before
 * the agent sees a Director, so filling the same ones here makes the result independent of whether
 * the object went through an API server (interval 5s where keepalived's delay_loop is 60s; retries
 * 1 and retryDelay 1s for every check type, where keepalived has 3 retries and delay_loop for
 * DNS_CHECK, 3s retry delay for HTTP_GET, none for MISC_CHECK; a command's timeout is the
 * connectTimeout, where keepalived's is delay_loop). Values the engine would refuse (a zero
 * interval, a port the check lacks, ...) are left to its own validator, whose findings {@link
 * DirectorVirtualServers} reports at the fields here.
 */
final class DirectorHealthChecks {
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final int DEFAULT_RETRIES = 1;
  static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(1);

  /**
   * An unset maxReplyLength: no limit, which is the largest UDP payload over IPv4 (65535 - 20 - 8),
   * the most the checker's validator admits.
   */
  static final int UNLIMITED_REPLY_LENGTH = 65_507;

  /** The checker core's paths inside one virtual server: realServers[j].check.X and the like. */
  private static final Pattern CHECK_FIELD =
      Pattern.compile("virtualServers\\[0\\]\\.realServers\\[\\d+\\]\\.(check|timing)\\.(.+)");

  private static final Map<String, String> CHECK_ENDPOINT_FIELDS =
      Map.of("connectPort", "connectPort", "bindIp", "bindAddress", "bindPort", "bindPort");

  private static final Pattern CHECK_ENDPOINT =
      Pattern.compile(
          "virtualServers\\[0\\]\\.realServers\\[\\d+\\]\\.(connectPort|bindIp|bindPort)");

  private DirectorHealthChecks() {}

  /**
   * How each real server of one virtual server is checked.
   *
   * @param type the field of {@link HealthCheck} that chose the method ({@code httpGet}, ...), for
   *     problem paths
   */
  record Checker(
      String type,
      CheckMethod method,
      CheckTiming timing,
      Optional<InetAddress> connectIp,
      OptionalInt connectPort,
      Optional<InetAddress> bindIp,
      OptionalInt bindPort) {

    /** {@code server} checked this way, toward connectAddress/connectPort if set. */
    RealServerCheck applyTo(RealServerCheck server) {
      RealServerCheck checked = server.withCheck(method, timing);
      if (connectIp.isPresent() || connectPort.isPresent()) {
        checked =
            checked.withConnect(
                connectIp.orElse(server.realServer().getAddress()),
                connectPort.orElse(server.realServer().getPort()));
      }
      if (bindIp.isPresent() || bindPort.isPresent()) {
        checked = checked.withBind(bindIp, bindPort);
      }
      return checked;
    }
  }

  /** The checker of {@code check}, written at {@code path}; empty with problems if it has any. */
  static Optional<Checker> map(String path, HealthCheck check, SpecProblems problems) {
    int before = problems.count();
    List<String> types = new ArrayList<>();
    addIfSet(types, "httpGet", check.httpGet());
    addIfSet(types, "sslGet", check.sslGet());
    addIfSet(types, "tcp", check.tcp());
    addIfSet(types, "misc", check.misc());
    addIfSet(types, "dns", check.dns());
    addIfSet(types, "udp", check.udp());
    addIfSet(types, "ping", check.ping());
    if (types.size() != 1) {
      problems.add(
          path,
          "set exactly one of httpGet, sslGet, tcp, misc, dns, udp or ping"
              + (types.isEmpty() ? "" : "; got " + String.join(", ", types)));
      return Optional.empty();
    }
    String type = types.get(0);
    Duration connectTimeout =
        problems
            .read(
                path + ".connectTimeout",
                () -> ApiValues.duration(check.connectTimeout(), DEFAULT_CONNECT_TIMEOUT))
            .orElse(DEFAULT_CONNECT_TIMEOUT);
    CheckMethod method = method(path + "." + type, type, check, connectTimeout, problems);
    CheckTiming timing = timing(path, check, connectTimeout, problems);
    Optional<InetAddress> connectIp =
        address(path + ".connectAddress", check.connectAddress(), problems);
    Optional<InetAddress> bindIp = address(path + ".bindAddress", check.bindAddress(), problems);
    OptionalInt connectPort = optional(check.connectPort());
    OptionalInt bindPort = optional(check.bindPort());
    // A command has no target; an ICMP echo has no port, and the engine's sends from any source.
    if (type.equals("misc")) {
      refuseFor(type, path + ".connectAddress", check.connectAddress(), problems);
    }
    if (type.equals("misc") || type.equals("ping")) {
      refuseFor(type, path + ".connectPort", check.connectPort(), problems);
      refuseFor(type, path + ".bindAddress", check.bindAddress(), problems);
      refuseFor(type, path + ".bindPort", check.bindPort(), problems);
    }
    if (problems.count() > before) {
      return Optional.empty();
    }
    return Optional.of(new Checker(type, method, timing, connectIp, connectPort, bindIp, bindPort));
  }

  private static CheckTiming timing(
      String path, HealthCheck check, Duration connectTimeout, SpecProblems problems) {
    Duration interval =
        problems
            .read(path + ".interval", () -> ApiValues.duration(check.interval(), DEFAULT_INTERVAL))
            .orElse(DEFAULT_INTERVAL);
    Duration retryDelay =
        problems
            .read(
                path + ".retryDelay",
                () -> ApiValues.duration(check.retryDelay(), DEFAULT_RETRY_DELAY))
            .orElse(DEFAULT_RETRY_DELAY);
    Optional<Duration> warmup =
        check.warmup() == null
            ? Optional.empty()
            : problems.read(path + ".warmup", () -> ApiValues.duration(check.warmup()));
    return new CheckTiming(
        interval,
        connectTimeout,
        Objects.requireNonNullElse(check.retries(), DEFAULT_RETRIES),
        retryDelay,
        warmup,
        Boolean.TRUE.equals(check.alpha()));
  }

  private static CheckMethod method(
      String path, String type, HealthCheck check, Duration connectTimeout, SpecProblems problems) {
    return switch (type) {
      case "httpGet" -> http(path, check.httpGet(), false, problems);
      case "sslGet" -> http(path, check.sslGet(), true, problems);
      case "tcp" -> new TcpCheck();
      case "ping" -> new PingCheck();
      case "misc" -> {
        io.kubelvs.api.v1alpha1.MiscCheck misc = check.misc();
        problems.require(path + ".command", misc.command());
        Duration timeout =
            problems
                .read(path + ".timeout", () -> ApiValues.duration(misc.timeout(), connectTimeout))
                .orElse(connectTimeout);
        yield new MiscCheck(misc.command(), timeout, Boolean.TRUE.equals(misc.dynamicWeight()));
      }
      case "dns" -> {
        io.kubelvs.api.v1alpha1.DnsCheck dns = check.dns();
        DnsCheck.DnsQueryType queryType =
            dns.type() == null
                ? DnsCheck.DnsQueryType.SOA
                : DnsCheck.DnsQueryType.valueOf(dns.type().name());
        yield new DnsCheck(queryType, dns.name() == null ? "." : dns.name());
      }
      case "udp" -> {
        io.kubelvs.api.v1alpha1.UdpCheck udp = check.udp();
        byte[] payload =
            udp.payload() == null
                ? new byte[0]
                : problems.read(path + ".payload", () -> hex(udp.payload())).orElse(new byte[0]);
        yield new UdpCheck(
            payload,
            Boolean.TRUE.equals(udp.requireReply()),
            Objects.requireNonNullElse(udp.minReplyLength(), 0),
            Objects.requireNonNullElse(udp.maxReplyLength(), UNLIMITED_REPLY_LENGTH));
      }
      default -> throw new IllegalStateException("not a check type: " + type);
    };
  }

  /** HTTP_GET, or SSL_GET with TLS: tls.serverName, else virtualHost, goes out by SNI. */
  private static HttpGetCheck http(
      String path, HttpCheck http, boolean ssl, SpecProblems problems) {
    List<StatusCodeRange> codes = new ArrayList<>();
    List<String> written = http.statusCodes() == null ? List.of() : http.statusCodes();
    for (int i = 0; i < written.size(); i++) {
      String text = written.get(i);
      String at = path + ".statusCodes[" + i + "]";
      if (text == null) {
        problems.add(at, "missing");
      } else {
        problems.read(at, () -> StatusCodeRange.parse(text)).ifPresent(codes::add);
      }
    }
    Optional<HttpGetCheck.Tls> tls = Optional.empty();
    if (!ssl && http.tls() != null) {
      problems.add(path + ".tls", "applies to sslGet only");
    } else if (ssl) {
      tls =
          Optional.of(
              http.tls() == null
                  ? new HttpGetCheck.Tls(Optional.empty(), false)
                  : new HttpGetCheck.Tls(
                      Optional.ofNullable(http.tls().serverName()),
                      Boolean.TRUE.equals(http.tls().verify())));
    }
    HttpVersion version =
        http.httpVersion() == io.kubelvs.api.v1alpha1.HttpVersion.HTTP_1_1
            ? HttpVersion.HTTP_1_1
            : HttpVersion.HTTP_1_0;
    // An empty list of codes is the default, 200-299.
    return new HttpGetCheck(
        http.path() == null ? "/" : http.path(),
        codes,
        Optional.ofNullable(http.digest()),
        Optional.ofNullable(http.virtualHost()),
        version,
        tls);
  }

  private static byte[] hex(String text) {
    try {
      return HexFormat.of().parseHex(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("\"" + text + "\" is not an even number of hex digits", e);
    }
  }

  private static Optional<InetAddress> address(String path, String text, SpecProblems problems) {
    return text == null ? Optional.empty() : problems.read(path, () -> ApiValues.address(text));
  }

  private static OptionalInt optional(Integer value) {
    return value == null ? OptionalInt.empty() : OptionalInt.of(value);
  }

  private static void refuseFor(String type, String path, Object value, SpecProblems problems) {
    if (value != null) {
      problems.add(path, "does not apply to a " + type + " check");
    }
  }

  private static void addIfSet(List<String> types, String type, Object value) {
    if (value != null) {
      types.add(type);
    }
  }

  /**
   * The spec's field for a path of the checker core's validator, which validates one virtual
   * server's checks as {@code virtualServers[0]}.
   *
   * @param path the virtual server's path in the spec
   * @param type the {@link Checker#type()} of its health check, empty without one
   */
  static String specPath(String path, String type, String field) {
    Matcher check = CHECK_FIELD.matcher(field);
    if (check.matches()) {
      return path
          + ".healthCheck"
          + (check.group(1).equals("check") ? "." + type : "")
          + "."
          + check.group(2);
    }
    Matcher endpoint = CHECK_ENDPOINT.matcher(field);
    if (endpoint.matches()) {
      return path + ".healthCheck." + CHECK_ENDPOINT_FIELDS.get(endpoint.group(1));
    }
    return path + field.substring("virtualServers[0]".length());
  }
}
