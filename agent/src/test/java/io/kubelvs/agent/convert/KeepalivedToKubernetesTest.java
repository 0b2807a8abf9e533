package io.kubelvs.agent.convert;

import static io.kubelvs.agent.convert.Converted.SAMPLES;
import static io.kubelvs.agent.convert.Converted.defaultedSpec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubelvs.api.schema.CrdValidator;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keepalived.conf files become the resources samples/ shows for them, accepted by the CRDs as an
 * API server would accept them.
 */
class KeepalivedToKubernetesTest {
  @TempDir Path dir;

  @Test
  void theSeedsKeepalivedConfBecomesTheSeedsResources() throws Exception {
    Converted converted =
        Converted.file(SAMPLES.resolve("keepalived/keepalived.conf"), Optional.of("seed"));
    List<JsonNode> seed =
        List.of("vrrp-auth-secret.yaml", "directorpool.yaml", "virtualservice.yaml").stream()
            .flatMap(f -> CrdValidator.readYaml(SAMPLES.resolve("seed").resolve(f)).stream())
            .toList();

    assertThat(converted.one("Secret")).isEqualTo(seed.get(0));

    ObjectNode pool = defaultedSpec(seed.get(1));
    // The sample adds an address range for samples/backends-from-service; keepalived.conf has none.
    pool.remove("vipRanges");
    assertThat(defaultedSpec(converted.one("DirectorPool"))).isEqualTo(pool);
    assertThat(converted.one("DirectorPool").path("metadata").path("name").asText())
        .isEqualTo("seed");

    ObjectNode web = defaultedSpec(seed.get(2));
    // keepalived.conf names no ports; the sample calls its port http.
    ((ObjectNode) web.get("ports").get(0)).remove("name");
    JsonNode vs = converted.one("VirtualService");
    assertThat(defaultedSpec(vs)).isEqualTo(web);
    assertThat(vs.path("metadata").path("namespace").asText()).isEqualTo("default");
    converted.assertAcceptedByTheCrds();
  }

  @Test
  void withoutAPoolNameTheRouterIdNamesThePoolAsADnsLabel() throws Exception {
    Converted converted =
        Converted.file(SAMPLES.resolve("keepalived/keepalived.conf"), Optional.empty());

    assertThat(converted.one("DirectorPool").at("/metadata/name").asText()).isEqualTo("lvs-devel");
    assertThat(converted.one("Secret").at("/metadata/name").asText())
        .isEqualTo("lvs-devel-vrrp-auth");
    assertThat(converted.one("VirtualService").at("/metadata/name").asText())
        .isEqualTo("lvs-devel-172-16-53-50-80");
    assertThat(converted.one("VirtualService").at("/spec/poolName").asText())
        .isEqualTo("lvs-devel");
    assertThat(converted.comments())
        .contains("Label the director nodes: kubectl label node NODE kubelvs.io/pool=lvs-devel");
  }

  @Test
  void crossedInstancesBecomeOnePoolAndAVirtualServicePerVip() throws Exception {
    // director-1's file of samples/active-active: master of .50, backup of .51.
    Converted converted =
        Converted.text(
            dir,
            """
            global_defs {
               router_id active-active
               vrrp_version 3
               vrrp_mcast_group4 224.0.100.99
            }
            vrrp_instance VI_1 {
                state MASTER
                interface eth0
                virtual_router_id 100
                priority 100
                advert_int 0.1
                virtual_ipaddress {
                    172.16.53.50
                }
            }
            vrrp_instance VI_2 {
                state BACKUP
                interface eth0
                virtual_router_id 101
                priority 98
                advert_int 0.1
                virtual_ipaddress {
                    172.16.53.51
                }
            }
            """
                + web("172.16.53.50")
                + web("172.16.53.51"));

    converted.assertAcceptedByTheCrds();
    JsonNode vrrp = converted.one("DirectorPool").at("/spec/vrrp");
    assertThat(vrrp.path("version").asInt()).isEqualTo(3);
    assertThat(vrrp.path("advertInterval").asText()).isEqualTo("100ms");
    assertThat(vrrp.path("multicastGroup").asText()).isEqualTo("224.0.100.99");
    assertThat(vrrp.path("vridRange").toString()).isEqualTo("{\"first\":100,\"last\":101}");
    assertThat(vrrp.path("priorities").toString()).isEqualTo("{\"highest\":100,\"step\":2}");

    List<JsonNode> samples =
        CrdValidator.readYaml(SAMPLES.resolve("active-active/virtualservices.yaml"));
    List<JsonNode> services = converted.ofKind("VirtualService");
    assertThat(services).hasSize(2);
    for (int i = 0; i < 2; i++) {
      ObjectNode expected = defaultedSpec(samples.get(i));
      // Which director is master is the operator's choice, or preferredNode's: see the notes.
      expected.remove("preferredNode");
      ObjectNode actual = defaultedSpec(services.get(i));
      // keepalived.conf writes the real servers' port; the sample leaves it to the service's.
      actual.withArray("realServers").forEach(rs -> ((ObjectNode) rs).remove("port"));
      assertThat(actual).isEqualTo(expected);
    }
    String file = dir.resolve("keepalived.conf").toString();
    assertThat(converted.commentsAbove("VirtualService", "active-active-172-16-53-50-80"))
        .containsExactly(
            file
                + ":10: priority: 100 of vrrp_instance VI_1: this director was the master of"
                + " 172.16.53.50; to keep it so, set preferredNode to its node name");
    assertThat(converted.commentsAbove("VirtualService", "active-active-172-16-53-51-80"))
        .containsExactly(
            file
                + ":20: priority: 98 of vrrp_instance VI_2: this director was a backup of"
                + " 172.16.53.51; to keep its master where it was, set preferredNode to the"
                + " director that had it at 100");
    assertThat(converted.commentsAbove("DirectorPool", "active-active"))
        .contains(
            file
                + ":7: state: MASTER (vrrp_instance VI_1) has no field: the operator elects by"
                + " priority, giving each VIP's preferred node priorities.highest and the others"
                + " step less each",
            file
                + ":19: virtual_router_id: 101 of vrrp_instance VI_2: the operator allocates"
                + " virtual router ids from 100-101 to the VirtualServices itself");
  }

  @Test
  void everyCheckerAndServiceSettingMapsToItsField() throws Exception {
    Converted converted =
        Converted.text(
            dir,
            """
            global_defs {
               router_id Director_1
               vrrp_version 3
            }
            vrrp_instance web {
                interface eth0
                virtual_router_id 51
                priority 150
                advert_int 0.5
                nopreempt
                preempt_delay 30
                garp_master_delay 2
                virtual_ipaddress {
                    198.18.0.50
                }
            }
            virtual_server 198.18.0.50 443 {
                lb_algo sh
                sh-port
                lb_kind NAT
                persistence_timeout 600
                persistence_granularity 255.255.255.0
                quorum 2
                hysteresis 1
                inhibit_on_failure
                real_server 10.0.0.1 8443 {
                    weight 3
                    uthreshold 100
                    lthreshold 10
                    SSL_GET {
                        url {
                            path /healthz
                            digest 0123456789abcdef0123456789abcdef
                        }
                        virtualhost www.example.com
                        enable_sni
                        connect_timeout 2
                        retry 2
                        delay_before_retry 2
                    }
                }
            }
            virtual_server fwmark 7 {
                lb_kind DR
                real_server 10.0.0.3 {
                    TCP_CHECK {
                        connect_port 80
                    }
                }
            }
            virtual_server 198.18.0.50 53 {
                protocol UDP
                ops
                real_server 10.0.0.4 53 {
                    DNS_CHECK {
                        type A
                        name example.com
                    }
                }
            }
            virtual_server 198.18.0.50 5353 {
                protocol UDP
                real_server 10.0.0.5 5353 {
                    UDP_CHECK {
                        payload 0102
                        require_reply
                    }
                }
            }
            virtual_server 198.18.0.50 8080 {
                real_server 10.0.0.6 8080 {
                    MISC_CHECK {
                        misc_path "/bin/true"
                        misc_dynamic
                    }
                }
                real_server 10.0.0.7 8080 {
                    MISC_CHECK {
                        misc_path "/bin/true"
                        misc_dynamic
                    }
                }
            }
            """);

    converted.assertAcceptedByTheCrds();
    assertThat(converted.one("DirectorPool").at("/spec/vrrp").toString())
        .isEqualTo(
            "{\"version\":3,\"advertInterval\":\"500ms\",\"vridRange\":{\"first\":51,\"last\":51},"
                + "\"preempt\":false,\"preemptDelay\":\"30s\",\"priorities\":{\"highest\":150},"
                + "\"gratuitousArp\":{\"masterRepeat\":5,\"masterDelay\":\"2s\","
                + "\"masterRefreshRepeat\":1}}");
    List<JsonNode> vs = converted.ofKind("VirtualService");
    assertThat(vs.get(0).get("spec").toString())
        .isEqualTo(
            "{\"poolName\":\"director-1\",\"vip\":\"198.18.0.50\","
                + "\"ports\":[{\"port\":443,\"protocol\":\"TCP\"}],\"scheduler\":\"sh\","
                + "\"schedulerFlags\":[\"sh-port\"],\"forwarding\":\"NAT\","
                + "\"persistence\":{\"timeout\":\"600s\",\"netmask\":\"255.255.255.0\"},"
                + "\"realServers\":[{\"address\":\"10.0.0.1\",\"port\":8443,\"weight\":3,"
                + "\"upperThreshold\":100,\"lowerThreshold\":10}],"
                + "\"healthCheck\":{\"sslGet\":{\"path\":\"/healthz\","
                + "\"statusCodes\":[\"200-299\"],\"digest\":\"0123456789abcdef0123456789abcdef\","
                + "\"virtualHost\":\"www.example.com\",\"tls\":{\"serverName\":\"www.example.com\"}},"
                + "\"interval\":\"60s\",\"connectTimeout\":\"2s\",\"retries\":2,"
                + "\"retryDelay\":\"2s\"},\"quorum\":2,\"hysteresis\":1,\"inhibitOnFailure\":true}");
    assertThat(vs.get(1).at("/metadata/name").asText()).isEqualTo("director-1-fwmark-7");
    assertThat(vs.get(1).get("spec").toString())
        .contains("\"fwmark\":7", "\"forwarding\":\"DR\"")
        .contains("\"realServers\":[{\"address\":\"10.0.0.3\",\"port\":0,\"weight\":1}]")
        .contains("\"healthCheck\":{\"tcp\":{},\"interval\":\"60s\"", "\"connectPort\":80");
    assertThat(vs.get(2).at("/metadata/name").asText()).isEqualTo("director-1-198-18-0-50-53-udp");
    assertThat(vs.get(2).get("spec").toString())
        .contains(
            "\"onePacketScheduling\":true", "\"dns\":{\"type\":\"A\",\"name\":\"example.com\"}")
        .contains("\"retries\":3,\"retryDelay\":\"60s\"");
    assertThat(vs.get(3).at("/spec/healthCheck/udp").toString())
        .isEqualTo("{\"payload\":\"0102\",\"requireReply\":true}");
    assertThat(vs.get(4).at("/spec/healthCheck/misc").toString())
        .isEqualTo("{\"command\":\"/bin/true\",\"timeout\":\"60s\",\"dynamicWeight\":true}");
    assertThat(vs.get(4).at("/spec/healthCheck/retries").asInt()).isZero();
    // Everything had a field: the header alone, no note.
    assertThat(converted.comments()).hasSize(2);
  }

  /** The seed's virtual_server at another VIP. */
  private static String web(String vip) {
    return """
        virtual_server %s 80 {
            delay_loop 3
            lb_algo rr
            lb_kind DR
            real_server 172.16.53.101 80 {
                HTTP_GET {
                    url {
                        path /
                        status_code 200
                    }
                    connect_timeout 1
                    nb_get_retry 3
                    delay_before_retry 1
                }
            }
            real_server 172.16.53.102 80 {
                HTTP_GET {
                    url {
                        path /
                        status_code 200
                    }
                    connect_timeout 1
                    nb_get_retry 3
                    delay_before_retry 1
                }
            }
        }
        """
        .formatted(vip);
  }
}
