package io.kubelvs.agent.vrrp;

import static io.kubelvs.agent.vrrp.VrrpStateMachineDriver.PEER;
import static io.kubelvs.agent.vrrp.VrrpStateMachineDriver.VIP;
import static io.kubelvs.agent.vrrp.VrrpStateMachineDriver.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What an instance's configuration accepts, in keepalived's words when it refuses. */
class VrrpStateMachineConfigTest {

  @Test
  void defaultsAreKeepalivedsDefaults() {
    VrrpInstanceConfig c =
        VrrpInstanceConfig.builder("VI_1", 99, PEER).virtualAddresses(VIP).build();

    assertThat(c.version()).isEqualTo(2);
    assertThat(c.priority()).isEqualTo(100);
    assertThat(c.advertInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.preempt()).isTrue();
    assertThat(c.garp()).isEqualTo(VrrpInstanceConfig.Garp.KEEPALIVED_DEFAULTS);
    assertThat(c.unicast()).isFalse();
  }

  @Test
  void handOverWaitDefaultsToAPriority254BackupsMasterDownInterval() {
    VrrpInstanceConfig c = config().advertInterval(Duration.ofMillis(100)).build();

    assertThat(c.handOverWait()).isEqualTo(Duration.ofNanos(300_781_250));
  }

  @Test
  void version3IntervalIsCentisecondsUpTo4095() {
    assertThat(config().advertInterval(Duration.ofMillis(10)).build()).isNotNull();
    assertThat(config().advertInterval(Duration.ofMillis(40_950)).build()).isNotNull();
    assertThatThrownBy(() -> config().advertInterval(Duration.ofMillis(15)).build())
        .hasMessage(
            "VRRP instance VI_1: advert_int 0.015s is not 0.01 to 40.95 s in centiseconds (v3)");
    assertThatThrownBy(() -> config().advertInterval(Duration.ofMillis(40_960)).build())
        .hasMessageContaining("advert_int 40.960s");
  }

  @Test
  void version2IntervalIsWholeSeconds() {
    assertThatThrownBy(() -> config().version(2).advertInterval(Duration.ofMillis(1_500)).build())
        .hasMessage("VRRP instance VI_1: advert_int 1.500s is not whole seconds 1 to 255 (v2)");
  }

  @Test
  void rangesAreChecked() {
    assertThatThrownBy(() -> config().version(4).build()).hasMessageContaining("version 4");
    assertThatThrownBy(() -> config().priority(0).build()).hasMessageContaining("priority 0");
    assertThatThrownBy(() -> VrrpInstanceConfig.builder("VI_1", 0, PEER).build())
        .hasMessageContaining("virtual_router_id 0");
    assertThatThrownBy(() -> VrrpInstanceConfig.builder("VI_1", 1, PEER).build())
        .hasMessage("VRRP instance VI_1: no virtual_ipaddress");
    assertThatThrownBy(() -> config().preemptDelay(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("preempt_delay");
    assertThatThrownBy(() -> new VrrpInstanceConfig.Garp(0, Duration.ZERO, Duration.ZERO, 1))
        .hasMessageContaining("repeat");
  }
}
