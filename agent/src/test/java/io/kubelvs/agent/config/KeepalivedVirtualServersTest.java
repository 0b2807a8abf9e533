package io.kubelvs.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.check.CheckTiming;
import io.kubelvs.agent.check.DnsCheck;
import io.kubelvs.agent.check.HttpGetCheck;
import io.kubelvs.agent.check.HttpVersion;
import io.kubelvs.agent.check.MiscCheck;
import io.kubelvs.agent.check.PingCheck;
import io.kubelvs.agent.check.RealServerCheck;
import io.kubelvs.agent.check.SorryServer;
import io.kubelvs.agent.check.StatusCodeRange;
import io.kubelvs.agent.check.TcpCheck;
import io.kubelvs.agent.check.UdpCheck;
import io.kubelvs.agent.check.VirtualServerChecks;
import io.kubelvs.agent.ipvs.AddressFamily;
import io.kubelvs.agent.ipvs.Forwarding;
import io.kubelvs.agent.ipvs.IpvsProtocol;
import io.kubelvs.agent.ipvs.IpvsService;
import io.kubelvs.agent.ipvs.ServiceFlags;
import io.kubelvs.agent.ipvs.ServiceKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keepalived's virtual_server blocks read into the IPVS and checker cores' configs. */
class KeepalivedVirtualServersTest {
  private static final Path SAMPLE = Path.of("..", "samples", "keepalived", "keepalived.conf");

  @TempDir Path dir;

  @Test
  void theSeedScenarioReadsIntoOneDrServiceWithTwoCheckedWebServersAndASorryServer()
      throws Exception {
    List<VirtualServerConfig> read = KeepalivedVirtualServers.read(KeepalivedConf.parse(SAMPLE));

    ServiceKey key = new ServiceKey.Address(IpvsProtocol.TCP, ip("172.16.53.50"), 80);
    HttpGetCheck get =
        new HttpGetCheck(
            "/",
            List.of(new StatusCodeRange(200, 200)),
            Optional.empty(),
            Optional.empty(),
            HttpVersion.HTTP_1_0,
            Optional.empty());
    CheckTiming timing =
        new CheckTiming(
            Duration.ofSeconds(3),
            Duration.ofSeconds(1),
            3,
            Duration.ofSeconds(1),
            Optional.empty(),
            false);
    assertThat(read)
        .containsExactly(
            new VirtualServerConfig(
                IpvsService.of(key, "rr"),
                Forwarding.DR,
                new VirtualServerChecks(
                    key.toString(),
                    List.of(
                        RealServerCheck.of(endpoint("172.16.53.101", 80), 1, get, timing),
                        RealServerCheck.of(endpoint("172.16.53.102", 80), 1, get, timing)),
                    VirtualServerChecks.DEFAULT_QUORUM,
                    VirtualServerChecks.DEFAULT_HYSTERESIS,
                    Optional.of(new SorryServer(endpoint("127.0.0.1", 80), false)),
                    false)));
  }

  @Test
  void timingWrittenOnTheVirtualServerIsInheritedAndTheInnermostWins() throws Exception {
    VirtualServerConfig vs =
        readOne(
            """
            virtual_server 198.18.0.50 443 {
                delay_loop 10
                connect_timeout 4
                retry 2
                alpha
                real_server 198.18.0.101 443 {
                    delay_before_retry 7
                    SSL_GET {
                        url {
                          path /healthz
                          status_code 200-299 301
                          digest 9b3a0c85a887a256d6939da88aabd8cd
                        }
                        virtualhost www.example.test
                        enable_sni
                        http_protocol 1.1
                        nb_get_retry 5
                        warmup 2
                    }
                }
            }
            """);

    RealServerCheck server = vs.checks().realServers().get(0);
    assertThat(server.timing())
        .isEqualTo(
            new CheckTiming(
                Duration.ofSeconds(10),
                Duration.ofSeconds(4),
                5,
                Duration.ofSeconds(7),
                Optional.of(Duration.ofSeconds(2)),
                true));
    assertThat(server.check())
        .contains(
            new HttpGetCheck(
                "/healthz",
                List.of(new StatusCodeRange(200, 299), new StatusCodeRange(301, 301)),
                Optional.of("9b3a0c85a887a256d6939da88aabd8cd"),
                Optional.of("www.example.test"),
                HttpVersion.HTTP_1_1,
                Optional.of(new HttpGetCheck.Tls(Optional.of("www.example.test"), false))));
    // The default scheduler and forwarding of keepalived: wlc, NAT.
    assertThat(vs.service().scheduler()).isEqualTo("wlc");
    assertThat(vs.forwarding()).isEqualTo(Forwarding.NAT);
  }

  @Test
  void everyOtherCheckerTypeWithItsKeywords() throws Exception {
    VirtualServerConfig vs =
        readOne(
            """
            virtual_server 198.18.0.50 53 {
                protocol UDP
                delay_loop 6
                lb_algo wrr
                lb_kind TUN
                persistence_timeout 300
                persistence_granularity 255.255.255.0
                quorum 3
                hysteresis 1
                omega
                inhibit_on_failure
                real_server 198.18.0.101 53 {
                    weight 3
                    DNS_CHECK {
                        type A
                        name www.example.test
                    }
                }
                real_server 198.18.0.102 53 {
                    UDP_CHECK {
                        payload 0a0b0c
                        require_reply
                        min_reply_length 2
                    }
                }
                real_server 198.18.0.103 53 {
                    MISC_CHECK {
                        misc_path "/usr/local/bin/check 198.18.0.103"
                        misc_dynamic
                    }
                }
                real_server 198.18.0.104 53 {
                    TCP_CHECK {
                        connect_port 5353
                        bind_ip 198.18.0.1
                    }
                }
                real_server 198.18.0.105 53 {
                    PING_CHECK {
                    }
                }
            }
            """);

    assertThat(vs.service())
        .isEqualTo(
            new IpvsService(
                new ServiceKey.Address(IpvsProtocol.UDP, ip("198.18.0.50"), 53),
                "wrr",
                ServiceFlags.PERSISTENT,
                300,
                0xFFFF_FF00));
    assertThat(vs.forwarding()).isEqualTo(Forwarding.TUN);
    assertThat(vs.checks().quorum()).isEqualTo(3);
    assertThat(vs.checks().hysteresis()).isEqualTo(1);
    assertThat(vs.checks().omega()).isTrue();
    List<RealServerCheck> servers = vs.checks().realServers();
    assertThat(servers).allMatch(RealServerCheck::inhibitOnFailure);
    assertThat(servers.get(0).weight()).isEqualTo(3);
    assertThat(servers.get(0).check())
        .contains(new DnsCheck(DnsCheck.DnsQueryType.A, "www.example.test"));
    // DNS_CHECK's keepalived defaults: retry 3, delay_before_retry = delay_loop.
    assertThat(servers.get(0).timing().retries()).isEqualTo(3);
    assertThat(servers.get(0).timing().retryDelay()).isEqualTo(Duration.ofSeconds(6));
    UdpCheck udp = (UdpCheck) servers.get(1).check().orElseThrow();
    assertThat(udp.payload()).containsExactly(0x0a, 0x0b, 0x0c);
    assertThat(udp.requireReply()).isTrue();
    assertThat(udp.minReplyLength()).isEqualTo(2);
    // misc_timeout defaults to delay_loop; MISC_CHECK's retry defaults to 0.
    assertThat(servers.get(2).check())
        .contains(new MiscCheck("/usr/local/bin/check 198.18.0.103", Duration.ofSeconds(6), true));
    assertThat(servers.get(2).timing().retries()).isZero();
    assertThat(servers.get(3).check()).contains(new TcpCheck());
    assertThat(servers.get(3).connectPort()).isEqualTo(OptionalInt.of(5353));
    assertThat(servers.get(3).connectIp()).contains(ip("198.18.0.104"));
    assertThat(servers.get(3).bindIp()).contains(ip("198.18.0.1"));
    assertThat(servers.get(4).check()).contains(new PingCheck());
  }

  @Test
  void aFwmarkServiceAndARealServerWithoutACheck() throws Exception {
    VirtualServerConfig vs =
        readOne(
            """
            virtual_server fwmark 7 {
                real_server 198.18.0.101 {
                    weight 0
                }
            }
            """);

    assertThat(vs.service().key()).isEqualTo(new ServiceKey.Fwmark(AddressFamily.INET, 7));
    assertThat(vs.checks().realServers())
        .containsExactly(
            RealServerCheck.unchecked(new InetSocketAddress(ip("198.18.0.101"), 0), 0));
  }

  @Test
  void everyProblemOfTheFileIsReportedWithItsFileAndLine() {
    Path file =
        ConfFiles.write(
            dir,
            "keepalived.conf",
            """
            virtual_server 198.18.0.50 80 {
                lb_kind DSR
                lb_algo roundrobin
                persistance_timeout 60
                real_server 198.18.0.101 80 {
                    weight 1
                    HTTP_GET {
                        url {
                            path /
                            status_code 2xx
                            hash abc
                        }
                        connect_timeout soon
                    }
                    TCP_CHECK {
                    }
                }
                real_server 198.18.0.300 80 {
                }
                real_server 198.18.0.102 80 {
                    notify_up "/bin/true 'unterminated"
                }
            }
            virtual_server 198.18.0.50 80 {
            }
            virtual_server 198.18.0.51 {
                real_server 198.18.0.101 80 {
                    weight heavy
                }
            }
            """);

    assertThat(problemsOf(file))
        .containsExactly(
            file + ":2: lb_kind: expected NAT, DR or TUN, got 'DSR'",
            file
                + ":3: lb_algo: unknown scheduler 'roundrobin' (one of dh fo lblc lblcr lc mh nq"
                + " ovf rr sed sh twos wlc wrr)",
            file + ":4: unknown keyword 'persistance_timeout'",
            file + ":13: connect_timeout: expected a time in seconds 0.001-86400, got \"soon\"",
            file + ":10: status_code: expected an integer 100-599, got '2xx'",
            file + ":11: unknown keyword 'hash'",
            file
                + ":15: more than one checker on one real_server is not supported yet (the first"
                + " is HTTP_GET at "
                + file
                + ":7)",
            file + ":18: real_server: '198.18.0.300' is not an IP address",
            file + ":21: notify_up: missing terminating ' in: /bin/true 'unterminated",
            file
                + ":24: virtual_server 198.18.0.50:80/TCP is defined twice (first at "
                + file
                + ":1)",
            file + ":26: virtual_server: expected ADDRESS PORT or fwmark MARK, got 198.18.0.51",
            file + ":28: weight: expected an integer 0-65535, got \"heavy\"");
  }

  @Test
  void aBrokenUrlIsReportedKeywordByKeyword() {
    Path file =
        ConfFiles.write(
            dir,
            "keepalived.conf",
            """
            virtual_server 198.18.0.50 80 {
                real_server 198.18.0.101 80 {
                    HTTP_GET {
                        url {
                            status_code 2xx
                            hash abc
                        }
                    }
                }
                real_server 198.18.0.102 80 {
                    HTTP_GET {
                    }
                }
            }
            """);

    assertThat(problemsOf(file))
        .containsExactly(
            file + ":5: status_code: expected an integer 100-599, got '2xx'",
            file + ":6: unknown keyword 'hash'",
            file + ":4: url: missing 'path'",
            file + ":11: HTTP_GET: missing 'url'");
  }

  @Test
  void theIpvsRulesOfDestinationsAreCheckedAtTheVirtualServer() {
    Path file =
        ConfFiles.write(
            dir,
            "keepalived.conf",
            """
            virtual_server 198.18.0.50 80 {
                lb_kind DR
                real_server 198.18.0.101 8080 {
                }
            }
            """);

    assertThat(problemsOf(file))
        .containsExactly(
            file
                + ":1: IPVS service 198.18.0.50:80/TCP, real server 198.18.0.101:8080: DR keeps"
                + " the packet's destination port, so the real server's port must be 80, the"
                + " service's");
  }

  @Test
  void aGroupsMembersBecomeServicesOfTheirOwnCheckedOnce() throws Exception {
    VirtualServerConfig vs =
        readOne(
            """
            virtual_server_group web {
                198.18.0.50 80
                198.18.0.60-62 80   # .60, .61 and .62
            }
            virtual_server group web {
                lb_algo wrr
                lb_kind DR
                persistence_timeout 60
                real_server 198.18.0.101 80 {
                    TCP_CHECK {
                        connect_timeout 2
                    }
                }
            }
            """);

    assertThat(vs.services())
        .extracting(s -> s.key().toString())
        .containsExactly(
            "198.18.0.50:80/TCP", "198.18.0.60:80/TCP", "198.18.0.61:80/TCP", "198.18.0.62:80/TCP");
    assertThat(vs.services())
        .allSatisfy(
            s -> {
              assertThat(s.scheduler()).isEqualTo("wrr");
              assertThat(s.persistenceTimeoutSeconds()).isEqualTo(60);
            });
    assertThat(vs.checks().id()).isEqualTo("198.18.0.50:80/TCP");
    assertThat(vs.checks().realServers()).hasSize(1);
  }

  @Test
  void aGroupOfFirewallMarksIsAServicePerMark() throws Exception {
    VirtualServerConfig vs =
        readOne(
            """
            virtual_server_group marks {
                fwmark 1
                fwmark 2
            }
            virtual_server group marks {
                lb_algo rr
                lb_kind DR
                real_server 198.18.0.101 {
                }
            }
            """);

    assertThat(vs.services())
        .extracting(s -> s.key())
        .containsExactly(
            new ServiceKey.Fwmark(AddressFamily.INET, 1),
            new ServiceKey.Fwmark(AddressFamily.INET, 2));
  }

  @Test
  void groupMistakesAreRefusedAtTheirLines() throws Exception {
    Path file =
        ConfFiles.write(
            dir,
            "keepalived.conf",
            """
            virtual_server_group web {
                198.18.0.50 80
                198.18.0.60-59 80
                2001:db8::1-3 80
                198.18.0.70
                fwmark 7
            }
            virtual_server group nosuch {
                lb_kind DR
            }
            virtual_server 198.18.0.51 80 {
                lb_kind DR
            }
            virtual_server_group dup {
                198.18.0.51 80
            }
            virtual_server group dup {
                lb_kind DR
            }
            """);

    assertThat(problemsOf(file))
        .containsExactlyInAnyOrder(
            file + ":3: virtual_server_group range end: expected an integer 60-255, got '59'",
            file
                + ":4: virtual_server_group: address ranges are supported for IPv4 only:"
                + " 2001:db8::1-3",
            file
                + ":5: virtual_server_group: expected ADDRESS PORT, ADDRESS-LAST PORT or fwmark"
                + " MARK, got 198.18.0.70",
            file
                + ":1: virtual_server_group web mixes fwmark and addresses: not supported yet (the"
                + " destinations of a fwmark service take no port)",
            file + ":8: virtual_server group nosuch: no virtual_server_group nosuch",
            file
                + ":17: virtual_server 198.18.0.51:80/TCP is defined twice (first at "
                + file
                + ":11)");
  }

  private VirtualServerConfig readOne(String text) throws Exception {
    Path file = ConfFiles.write(dir, "keepalived.conf", text);
    List<VirtualServerConfig> read = KeepalivedVirtualServers.read(KeepalivedConf.parse(file));
    assertThat(read).hasSize(1);
    return read.get(0);
  }

  private static List<String> problemsOf(Path file) {
    try {
      KeepalivedVirtualServers.read(KeepalivedConf.parse(file));
    } catch (KeepalivedConfException refused) {
      return refused.problems().stream().map(ConfProblem::toString).toList();
    }
    throw new AssertionError(file + " was accepted, problems were expected");
  }

  private static InetAddress ip(String text) throws Exception {
    return InetAddress.getByName(text);
  }

  private static InetSocketAddress endpoint(String ip, int port) throws Exception {
    return new InetSocketAddress(ip(ip), port);
  }
}
