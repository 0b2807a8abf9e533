package io.kubelvs.agent.check;

import static io.kubelvs.agent.check.CheckHarness.TIMING;
import static io.kubelvs.agent.check.CheckHarness.VS;
import static io.kubelvs.agent.check.CheckHarness.rs;
import static io.kubelvs.agent.check.CheckHarness.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** A malformed check definition is refused with a message naming the field. */
class CheckConfigValidatorTest {
  private static final String RS0 = "virtualServers[0].realServers[0]";

  private static List<CheckConfigProblem> problemsOf(RealServerCheck... servers) {
    return CheckConfigValidator.validate(List.of(VirtualServerChecks.of(VS, List.of(servers))));
  }

  private static List<CheckConfigProblem> problemsOf(VirtualServerChecks... virtualServers) {
    return CheckConfigValidator.validate(List.of(virtualServers));
  }

  private static RealServerCheck checkedBy(CheckMethod method) {
    return RealServerCheck.of(rs(1), 1, method, TIMING);
  }

  private static InetAddress ip(String literal) {
    return new InetSocketAddress(literal, 0).getAddress();
  }

  @Test
  void configurationUsingEveryCheckMethodIsValid() {
    List<RealServerCheck> servers =
        List.of(
            checkedBy(HttpGetCheck.of("/health")),
            RealServerCheck.of(rs(2), 0, new TcpCheck(), TIMING.withWarmup(Duration.ZERO)),
            RealServerCheck.of(
                rs(3), 65_535, new UdpCheck(new byte[] {1, 2}, true, 0, 255), TIMING),
            RealServerCheck.of(
                rs(4), 1, new MiscCheck("/bin/true", Duration.ofSeconds(3), true), TIMING),
            RealServerCheck.of(rs(5), 1, new DnsCheck(DnsCheck.DnsQueryType.SOA, "."), TIMING),
            RealServerCheck.of(rs(6), 1, new PingCheck(), TIMING),
            RealServerCheck.unchecked(rs(7), 1));
    VirtualServerChecks vs =
        VirtualServerChecks.of(VS, servers)
            .withQuorum(3, 2)
            .withSorryServer(new SorryServer(rs(99), true));

    assertThat(CheckConfigValidator.validate(List.of(vs))).isEmpty();
  }

  @Test
  void zeroConnectTimeoutIsRefusedByItsPath() {
    List<CheckConfigProblem> problems =
        problemsOf(server(1, TIMING.withConnectTimeout(Duration.ZERO)));

    assertThat(problems)
        .containsExactly(
            new CheckConfigProblem(RS0 + ".timing.connectTimeout", "must be positive, got PT0S"));
  }

  @Test
  void negativeIntervalIsRefused() {
    assertThat(problemsOf(server(1, TIMING.withInterval(Duration.ofSeconds(-1)))))
        .containsExactly(
            new CheckConfigProblem(RS0 + ".timing.interval", "must be positive, got PT-1S"));
  }

  @Test
  void negativeRetriesAndRetryDelayAreRefusedButZeroIsAllowed() {
    assertThat(problemsOf(server(1, TIMING.withRetries(0, Duration.ZERO)))).isEmpty();

    assertThat(problemsOf(server(1, TIMING.withRetries(-1, Duration.ofMillis(-5)))))
        .extracting(CheckConfigProblem::field)
        .containsExactly(RS0 + ".timing.retries", RS0 + ".timing.retryDelay");
  }

  @Test
  void negativeWarmupIsRefused() {
    assertThat(problemsOf(server(1, TIMING.withWarmup(Duration.ofSeconds(-2)))))
        .containsExactly(
            new CheckConfigProblem(RS0 + ".timing.warmup", "must not be negative, got PT-2S"));
  }

  @Test
  void quorumBelowOneIsRefused() {
    assertThat(problemsOf(VirtualServerChecks.of(VS, List.of(server(1))).withQuorum(0, 0)))
        .containsExactly(
            new CheckConfigProblem("virtualServers[0].quorum", "must be at least 1, got 0"));
  }

  @Test
  void hysteresisMustBeBelowTheQuorumAndNotNegative() {
    assertThat(problemsOf(VirtualServerChecks.of(VS, List.of(server(1))).withQuorum(2, 2)))
        .containsExactly(
            new CheckConfigProblem(
                "virtualServers[0].hysteresis", "must be less than the quorum 2, got 2"));
    assertThat(problemsOf(VirtualServerChecks.of(VS, List.of(server(1))).withQuorum(2, -1)))
        .extracting(CheckConfigProblem::field)
        .containsExactly("virtualServers[0].hysteresis");
  }

  @Test
  void weightOutsideZeroTo65535IsRefused() {
    assertThat(problemsOf(server(1).withWeight(65_536)))
        .containsExactly(
            new CheckConfigProblem(RS0 + ".weight", "must be within 0..65535, got 65536"));
    assertThat(problemsOf(server(1).withWeight(-1)))
        .extracting(CheckConfigProblem::field)
        .containsExactly(RS0 + ".weight");
  }

  @Test
  void sameRealServerTwiceInOneVirtualServerIsRefused() {
    assertThat(problemsOf(server(1), server(2), server(1).withWeight(3)))
        .containsExactly(
            new CheckConfigProblem(
                "virtualServers[0].realServers[2].realServer",
                "duplicate of realServers[0] (198.18.0.2:80)"));
  }

  @Test
  void sameRealServerInTwoVirtualServersIsAllowed() {
    assertThat(
            problemsOf(
                VirtualServerChecks.of(VS, List.of(server(1))),
                VirtualServerChecks.of("other", List.of(server(1)))))
        .isEmpty();
  }

  @Test
  void duplicateOrBlankVirtualServerIdsAreRefused() {
    List<CheckConfigProblem> problems =
        problemsOf(
            VirtualServerChecks.of(VS, List.of(server(1))),
            VirtualServerChecks.of(" ", List.of(server(2))),
            VirtualServerChecks.of(VS, List.of(server(3))));

    assertThat(problems)
        .containsExactly(
            new CheckConfigProblem("virtualServers[1].id", "must not be blank"),
            new CheckConfigProblem(
                "virtualServers[2].id", "duplicate of virtualServers[0].id \"" + VS + "\""));
  }

  @Test
  void realServerAndSorryServerMustBeIpAddresses() {
    RealServerCheck byName =
        RealServerCheck.of(
            InetSocketAddress.createUnresolved("web.example", 80), 1, new TcpCheck(), TIMING);
    VirtualServerChecks vs =
        VirtualServerChecks.of(VS, List.of(byName))
            .withSorryServer(
                new SorryServer(InetSocketAddress.createUnresolved("sorry.example", 80), false));

    assertThat(problemsOf(vs))
        .containsExactly(
            new CheckConfigProblem(
                "virtualServers[0].sorryServer.address",
                "must be an IP address, got the unresolved name sorry.example"),
            new CheckConfigProblem(
                RS0 + ".realServer", "must be an IP address, got the unresolved name web.example"));
  }

  @Test
  void httpPathMustStartWithASlashAndHaveNoSpaces() {
    assertThat(problemsOf(checkedBy(HttpGetCheck.of("health"))))
        .containsExactly(
            new CheckConfigProblem(RS0 + ".check.path", "must start with '/', got \"health\""));
    assertThat(problemsOf(checkedBy(HttpGetCheck.of("/a b"))))
        .extracting(CheckConfigProblem::field)
        .containsExactly(RS0 + ".check.path");
  }

  @Test
  void digestMustBe32LowerCaseHexDigits() {
    HttpGetCheck upperCase =
        new HttpGetCheck(
            "/",
            List.of(),
            Optional.of("9B3A0C85A887A256D6939DA88AABD8CD"),
            Optional.empty(),
            HttpVersion.HTTP_1_0,
            Optional.empty());
    HttpGetCheck lowerCase =
        new HttpGetCheck(
            "/",
            List.of(new StatusCodeRange(200, 204)),
            Optional.of("9b3a0c85a887a256d6939da88aabd8cd"),
            Optional.of("www.example"),
            HttpVersion.HTTP_1_1,
            Optional.of(new HttpGetCheck.Tls(Optional.of("www.example"), false)));

    assertThat(problemsOf(checkedBy(upperCase)))
        .containsExactly(
            new CheckConfigProblem(
                RS0 + ".check.digest",
                "must be 32 lower-case hex digits (genhash's MD5), got"
                    + " \"9B3A0C85A887A256D6939DA88AABD8CD\""));
    assertThat(problemsOf(checkedBy(lowerCase))).isEmpty();
  }

  @Test
  void tlsServerNameMustBeADnsName() {
    HttpGetCheck check =
        new HttpGetCheck(
            "/",
            List.of(),
            Optional.empty(),
            Optional.empty(),
            HttpVersion.HTTP_1_0,
            Optional.of(new HttpGetCheck.Tls(Optional.of("not a name"), false)));

    assertThat(problemsOf(checkedBy(check)))
        .extracting(CheckConfigProblem::field)
        .containsExactly(RS0 + ".check.tls.serverName");
  }

  @Test
  void udpReplyLengthsMustBeOrdered() {
    assertThat(problemsOf(checkedBy(new UdpCheck(new byte[0], true, 100, 10))))
        .containsExactly(
            new CheckConfigProblem(
                RS0 + ".check.maxReplyLength", "must be at least minReplyLength 100, got 10"));
    assertThat(problemsOf(checkedBy(new UdpCheck(new byte[0], true, -1, 10))))
        .extracting(CheckConfigProblem::field)
        .containsExactly(RS0 + ".check.minReplyLength");
  }

  @Test
  void miscCommandMustNotBeEmptyAndItsTimeoutMustBePositive() {
    assertThat(problemsOf(checkedBy(new MiscCheck(" ", Duration.ZERO, false))))
        .containsExactly(
            new CheckConfigProblem(RS0 + ".check.command", "must not be empty"),
            new CheckConfigProblem(RS0 + ".check.timeout", "must be positive, got PT0S"));
  }

  @Test
  void dnsNameMustBeADomainName() {
    for (String bad :
        List.of(
            "",
            "a..b",
            "-bad.example",
            "bad-.example",
            "sp ace.example",
            "x".repeat(64) + ".example")) {
      assertThat(problemsOf(checkedBy(new DnsCheck(DnsCheck.DnsQueryType.A, bad))))
          .as("name %s", bad)
          .extracting(CheckConfigProblem::field)
          .containsExactly(RS0 + ".check.name");
    }
    for (String good : List.of(".", "example.com", "example.com.", "_sip._udp.example.com")) {
      assertThat(problemsOf(checkedBy(new DnsCheck(DnsCheck.DnsQueryType.A, good))))
          .as("name %s", good)
          .isEmpty();
    }
  }

  @Test
  void connectAndBindPortsMustBeWithinZeroTo65535() {
    RealServerCheck server =
        server(1)
            .withConnect(rs(1).getAddress(), 70_000)
            .withBind(Optional.empty(), OptionalInt.of(-1));

    assertThat(problemsOf(server))
        .containsExactly(
            new CheckConfigProblem(RS0 + ".connectPort", "must be within 0..65535, got 70000"),
            new CheckConfigProblem(RS0 + ".bindPort", "must be within 0..65535, got -1"));
  }

  @Test
  void bindAddressMustHaveTheFamilyOfTheTarget() {
    RealServerCheck server =
        server(1).withBind(Optional.of(ip("2001:db8::1")), OptionalInt.empty());

    assertThat(problemsOf(server))
        .containsExactly(
            new CheckConfigProblem(
                RS0 + ".bindIp",
                "address family of 2001:db8:0:0:0:0:0:1 differs from the check target 198.18.0.2"));
  }

  @Test
  void networkCheckOfARealServerWithoutPortNeedsAConnectPort() {
    InetSocketAddress noPort = new InetSocketAddress(rs(1).getAddress(), 0);

    assertThat(problemsOf(RealServerCheck.of(noPort, 1, new TcpCheck(), TIMING)))
        .containsExactly(
            new CheckConfigProblem(
                RS0 + ".connectPort",
                "TCP_CHECK needs a port: the real server has port 0 and none is set"));
    assertThat(problemsOf(RealServerCheck.of(noPort, 1, new PingCheck(), TIMING))).isEmpty();
  }

  @Test
  void everyProblemIsReportedAtOnceAndTheExceptionNamesThem() {
    List<VirtualServerChecks> configuration =
        List.of(
            VirtualServerChecks.of(
                    VS,
                    List.of(
                        server(1).withWeight(-3), server(2, TIMING.withInterval(Duration.ZERO))))
                .withQuorum(0, 0));

    assertThatThrownBy(() -> CheckConfigValidator.requireValid(configuration))
        .isInstanceOfSatisfying(
            CheckConfigException.class,
            e -> {
              assertThat(e.problems())
                  .extracting(CheckConfigProblem::field)
                  .containsExactly(
                      "virtualServers[0].quorum",
                      RS0 + ".weight",
                      "virtualServers[0].realServers[1].timing.interval");
              assertThat(e)
                  .hasMessageStartingWith("health check configuration refused, 3 problems: ")
                  .hasMessageContaining(
                      "virtualServers[0].realServers[1].timing.interval: must be positive, got PT0S");
            });
  }
}
