package io.kubelvs.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The seed scenario's keepalived.conf, as shipped in samples/, reads into the expected tree. */
class KeepalivedConfSampleTest {
  // Tests run in agent/; the sample lives at the repository root.
  private static final Path SAMPLE = Path.of("..", "samples", "keepalived", "keepalived.conf");
  private static final Duration MAX_TIME = Duration.ofHours(1);

  private static KeepalivedConf conf;

  @BeforeAll
  static void parseSample() throws KeepalivedConfException {
    conf = KeepalivedConf.parse(SAMPLE);
  }

  @Test
  void topLevelHoldsGlobalDefsOneVrrpInstanceAndOneVirtualServer() {
    assertThat(conf.root().children())
        .extracting(ConfNode::keyword)
        .containsExactly("global_defs", "vrrp_instance", "virtual_server");
    assertThat(conf.warnings()).isEmpty();
  }

  @Test
  void globalDefsListsTheNotificationEmailsAndTheRouterId() throws KeepalivedConfException {
    ConfNode global = conf.statements("global_defs").get(0);

    assertThat(global.requireChild("notification_email").children())
        .extracting(ConfNode::words)
        .containsExactly(List.of("root@localhost"));
    assertThat(global.requireString("notification_email_from")).isEqualTo("keepalived@localhost");
    assertThat(global.requireInt("smtp_connect_timeout", 0, 3600)).isEqualTo(30);
    assertThat(global.requireString("router_id")).isEqualTo("LVS_DEVEL");
    assertThat(global.requireString("vrrp_mcast_group4")).isEqualTo("224.0.100.99");
  }

  @Test
  void vrrpInstanceHasItsSettingsAuthenticationAndVirtualAddress() throws KeepalivedConfException {
    ConfNode instance = conf.statements("vrrp_instance").get(0);

    assertThat(instance.args()).containsExactly("VI_1");
    assertThat(instance.position()).isEqualTo(new ConfPosition(SAMPLE, 16));
    assertThat(instance.requireString("state")).isEqualTo("MASTER");
    assertThat(instance.requireString("interface")).isEqualTo("eno16777736");
    assertThat(instance.requireInt("virtual_router_id", 1, 255)).isEqualTo(99);
    assertThat(instance.requireInt("priority", 1, 255)).isEqualTo(100);
    assertThat(instance.requireDuration("advert_int", Duration.ZERO, MAX_TIME))
        .isEqualTo(Duration.ofSeconds(1));
    ConfNode smtpAlert = instance.requireChild("smtp_alert");
    assertThat(smtpAlert.args()).isEmpty();
    assertThat(smtpAlert.block()).isFalse();

    ConfNode authentication = instance.requireChild("authentication");
    assertThat(authentication.block()).isTrue();
    assertThat(authentication.requireString("auth_type")).isEqualTo("PASS");
    assertThat(authentication.requireString("auth_pass")).isEqualTo("571f97b2");

    assertThat(instance.requireChild("virtual_ipaddress").children())
        .extracting(ConfNode::words)
        .containsExactly(List.of("172.16.53.50"));
  }

  @Test
  void virtualServerHasSchedulingSorryServerAndTwoRealServers() throws KeepalivedConfException {
    ConfNode vs = conf.statements("virtual_server").get(0);

    assertThat(vs.args()).containsExactly("172.16.53.50", "80");
    assertThat(vs.requireDuration("delay_loop", Duration.ZERO, MAX_TIME))
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(vs.requireString("lb_algo")).isEqualTo("rr");
    assertThat(vs.requireString("lb_kind")).isEqualTo("DR");
    assertThat(vs.requireString("protocol")).isEqualTo("TCP");
    assertThat(vs.requireChild("sorry_server").args()).containsExactly("127.0.0.1", "80");
    assertThat(vs.children("real_server"))
        .extracting(ConfNode::args)
        .containsExactly(List.of("172.16.53.101", "80"), List.of("172.16.53.102", "80"));
    assertThat(vs.children("real_server").get(1).position())
        .isEqualTo(new ConfPosition(SAMPLE, 52));
  }

  @Test
  void eachRealServerIsCheckedByHttpGetOnSlashExpecting200() throws KeepalivedConfException {
    ConfNode vs = conf.statements("virtual_server").get(0);

    for (ConfNode realServer : vs.children("real_server")) {
      assertThat(realServer.requireInt("weight", 0, 65535)).isEqualTo(1);
      ConfNode httpGet = realServer.requireChild("HTTP_GET");
      ConfNode url = httpGet.requireChild("url");
      assertThat(url.requireString("path")).isEqualTo("/");
      assertThat(url.requireInt("status_code", 100, 599)).isEqualTo(200);
      assertThat(httpGet.requireDuration("connect_timeout", Duration.ZERO, MAX_TIME))
          .isEqualTo(Duration.ofSeconds(1));
      assertThat(httpGet.requireInt("nb_get_retry", 0, 100)).isEqualTo(3);
      assertThat(httpGet.requireDuration("delay_before_retry", Duration.ZERO, MAX_TIME))
          .isEqualTo(Duration.ofSeconds(1));
    }
  }
}
