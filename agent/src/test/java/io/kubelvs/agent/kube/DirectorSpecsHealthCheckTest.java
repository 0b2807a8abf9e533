package io.kubelvs.agent.kube;

import static io.kubelvs.agent.kube.TestDirectors.inInstance;
import static io.kubelvs.agent.kube.TestDirectors.map;
import static io.kubelvs.agent.kube.TestDirectors.problems;
import static io.kubelvs.agent.kube.TestDirectors.withVirtualServer;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A virtual server's {@code healthCheck} as each real server's check, and what is refused. */
class DirectorSpecsHealthCheckTest {
  /** The path of web, nested in VI_1. */
  private static final String WEB = "spec.vrrpInstances[VI_1].virtualServers[web]";

  /** The schema's defaults, which are not keepalived's (delay_loop 60 s, ...). */
  private static final CheckTiming API_DEFAULTS =
      new CheckTiming(
          Duration.ofSeconds(5),
          Duration.ofSeconds(5),
          1,
          Duration.ofSeconds(1),
          Optional.empty(),
          false);

  /** web on 198.18.0.50:80 with two real servers, checked by {@code healthCheck}. */
  private static String web(String healthCheck) {
    return """
        name: web
        vip: 198.18.0.50
        port: 80
        scheduler: rr
        realServers:
          - {address: 198.18.0.101, port: 80}
          - {address: 198.18.0.102, port: 80}
        healthCheck:
        """
        + healthCheck.lines().map(line -> "  " + line + "\n").reduce("", String::concat);
  }

  private static List<RealServerCheck> checked(String healthCheck) throws Exception {
    return map(inInstance(web(healthCheck)))
        .config()
        .virtualServers()
        .get(0)
        .checks()
        .realServers();
  }

  private static CheckMethod method(String healthCheck) throws Exception {
    List<RealServerCheck> servers = checked(healthCheck);
    assertThat(servers).extracting(RealServerCheck::check).containsOnly(servers.get(0).check());
    return servers.get(0).check().orElseThrow();
  }

  @Test
  void everyFieldOfAnHttpCheckMapsAndEveryRealServerGetsIt() throws Exception {
    List<RealServerCheck> servers =
        checked(
            """
            httpGet:
              path: /health
              statusCodes: ["200-299", "301"]
              digest: 9b3a0c85a887a256d6939da88aabd8cd
              virtualHost: www.example.com
              httpVersion: "1.1"
            interval: 2s
            connectTimeout: 500ms
            retries: 2
            retryDelay: 250ms
            warmup: 0s
            alpha: true
            connectAddress: 198.18.0.200
            connectPort: 8080
            bindAddress: 198.18.0.1
            bindPort: 40000
            """);

    HttpGetCheck http =
        new HttpGetCheck(
            "/health",
            List.of(new StatusCodeRange(200, 299), new StatusCodeRange(301, 301)),
            Optional.of("9b3a0c85a887a256d6939da88aabd8cd"),
            Optional.of("www.example.com"),
            HttpVersion.HTTP_1_1,
            Optional.empty());
    CheckTiming timing =
        new CheckTiming(
            Duration.ofSeconds(2),
            Duration.ofMillis(500),
            2,
            Duration.ofMillis(250),
            Optional.of(Duration.ZERO),
            true);
    InetAddress connect = InetAddress.getByName("198.18.0.200");
    InetAddress bind = InetAddress.getByName("198.18.0.1");
    for (String address : List.of("198.18.0.101", "198.18.0.102")) {
      assertThat(servers)
          .contains(
              new RealServerCheck(
                  new InetSocketAddress(InetAddress.getByName(address), 80),
                  1,
                  Optional.of(http),
                  timing,
                  Optional.of(connect),
                  OptionalInt.of(8080),
                  Optional.of(bind),
                  OptionalInt.of(40000),
                  false));
    }
  }

  @Test
  void unsetTimingTakesTheSchemasDefaults() throws Exception {
    assertThat(checked("tcp: {}")).extracting(RealServerCheck::timing).containsOnly(API_DEFAULTS);
  }

  @Test
  void connectAddressAloneKeepsTheRealServersPort() throws Exception {
    RealServerCheck server = checked("tcp: {}\nconnectAddress: 198.18.0.200").get(0);

    assertThat(server.probeTarget().address())
        .isEqualTo(new InetSocketAddress(InetAddress.getByName("198.18.0.200"), 80));
    assertThat(server.bindIp()).isEmpty();
  }

  @Test
  void aVirtualServerWithoutHealthCheckKeepsItsRealServersUpUnchecked() throws Exception {
    RealServerCheck server =
        map(withVirtualServer(
                "name: web\nvip: 198.18.0.50\nport: 80\nscheduler: rr\n"
                    + "realServers:\n  - {address: 198.18.0.101, port: 80, weight: 4}"))
            .config()
            .virtualServers()
            .get(0)
            .checks()
            .realServers()
            .get(0);

    assertThat(server)
        .isEqualTo(
            RealServerCheck.unchecked(
                new InetSocketAddress(InetAddress.getByName("198.18.0.101"), 80), 4));
  }

  static Stream<Arguments> methods() {
    return Stream.of(
        Arguments.of("httpGet: {}", HttpGetCheck.of("/")),
        Arguments.of(
            "sslGet: {path: /, tls: {serverName: www.example.com, verify: true}}",
            new HttpGetCheck(
                "/",
                List.of(),
                Optional.empty(),
                Optional.empty(),
                HttpVersion.HTTP_1_0,
                Optional.of(new HttpGetCheck.Tls(Optional.of("www.example.com"), true)))),
        Arguments.of(
            "sslGet: {virtualHost: www.example.com}",
            new HttpGetCheck(
                "/",
                List.of(),
                Optional.empty(),
                Optional.of("www.example.com"),
                HttpVersion.HTTP_1_0,
                Optional.of(new HttpGetCheck.Tls(Optional.empty(), false)))),
        Arguments.of("tcp: {}", new TcpCheck()),
        Arguments.of("ping: {}\nconnectAddress: 198.18.0.200", new PingCheck()),
        Arguments.of(
            "misc: {command: /bin/check web}\nconnectTimeout: 3s",
            new MiscCheck("/bin/check web", Duration.ofSeconds(3), false)),
        Arguments.of(
            "misc: {command: /bin/check, timeout: 10s, dynamicWeight: true}",
            new MiscCheck("/bin/check", Duration.ofSeconds(10), true)),
        Arguments.of("dns: {}", new DnsCheck(DnsCheck.DnsQueryType.SOA, ".")),
        Arguments.of(
            "dns: {type: AAAA, name: example.com}",
            new DnsCheck(DnsCheck.DnsQueryType.AAAA, "example.com")),
        // No limit on the reply: the largest UDP payload.
        Arguments.of("udp: {}", new UdpCheck(new byte[0], false, 0, 65507)),
        Arguments.of(
            "udp: {payload: 0a0B, requireReply: true, minReplyLength: 1, maxReplyLength: 512}",
            new UdpCheck(new byte[] {0x0a, 0x0b}, true, 1, 512)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("methods")
  void eachCheckTypeMapsToTheCheckersMethod(String healthCheck, CheckMethod expected)
      throws Exception {
    assertThat(method(healthCheck)).isEqualTo(expected);
  }

  static Stream<Arguments> refusedChecks() {
    return Stream.of(
        Arguments.of(
            "two check types",
            "httpGet: {}\ntcp: {}",
            WEB
                + ".healthCheck: set exactly one of httpGet, sslGet, tcp, misc,"
                + " dns, udp or ping; got httpGet, tcp"),
        Arguments.of(
            "no check type",
            "interval: 3s",
            WEB
                + ".healthCheck: set exactly one of httpGet, sslGet, tcp, misc,"
                + " dns, udp or ping"),
        Arguments.of(
            "tls on plain HTTP",
            "httpGet: {tls: {verify: true}}",
            WEB + ".healthCheck.httpGet.tls: applies to sslGet only"),
        Arguments.of(
            "a status code that is none",
            "httpGet: {statusCodes: [\"2xx\"]}",
            WEB
                + ".healthCheck.httpGet.statusCodes[0]: status code \"2xx\" is"
                + " neither a code nor a range such as 200-299"),
        Arguments.of(
            "a path with a space",
            "httpGet: {path: /a b}",
            WEB
                + ".healthCheck.httpGet.path: must not contain spaces or control"
                + " characters, got \"/a b\""),
        Arguments.of(
            "a command without command",
            "misc: {timeout: 1s}",
            WEB + ".healthCheck.misc.command: missing"),
        Arguments.of(
            "a port for a command",
            "misc: {command: /bin/true}\nconnectPort: 81",
            WEB + ".healthCheck.connectPort: does not apply to a misc check"),
        Arguments.of(
            "a source for an ICMP echo",
            "ping: {}\nbindAddress: 198.18.0.1",
            WEB + ".healthCheck.bindAddress: does not apply to a ping check"),
        Arguments.of(
            "a payload of odd length",
            "udp: {payload: abc}",
            WEB + ".healthCheck.udp.payload: \"abc\" is not an even number of hex" + " digits"),
        Arguments.of(
            "reply lengths the wrong way round",
            "udp: {minReplyLength: 10, maxReplyLength: 5}",
            WEB
                + ".healthCheck.udp.maxReplyLength: must be at least"
                + " minReplyLength 10, got 5"),
        Arguments.of(
            "a zero interval",
            "tcp: {}\ninterval: 0s",
            WEB + ".healthCheck.interval: must be positive, got PT0S"),
        Arguments.of(
            "a timeout that is no duration",
            "tcp: {}\nconnectTimeout: 5",
            WEB
                + ".healthCheck.connectTimeout: \"5\" is not a duration such as"
                + " 1s, 100ms or 1m30s"),
        Arguments.of(
            "a check address that is none",
            "tcp: {}\nconnectAddress: web.example.com",
            WEB + ".healthCheck.connectAddress: \"web.example.com\" is not an IP" + " address"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedChecks")
  void aHealthCheckTheCheckerCannotRunIsRefusedOnceAtItsPath(
      String what, String healthCheck, String problem) {
    // Two real servers share the check: its problem is reported once, at the health check.
    assertThat(problems(inInstance(web(healthCheck)))).containsExactly(problem);
  }

  @Test
  void aCheckOfAPortlessFwmarkRealServerNeedsAConnectPort() {
    assertThat(
            problems(
                withVirtualServer(
                    """
                    name: marked
                    fwmark: 3
                    scheduler: rr
                    realServers:
                      - {address: 198.18.0.101}
                    healthCheck:
                      httpGet: {}
                    """)))
        .containsExactly(
            "spec.virtualServers[marked].healthCheck.connectPort: HTTP_GET needs a port: the real"
                + " server has port 0 and none is set");
  }
}
