package io.kubelvs.agent.vrrp;

import static io.kubelvs.agent.vrrp.VrrpRunnerLab.INSTANCE;
import static io.kubelvs.agent.vrrp.VrrpRunnerLab.VIP;
import static io.kubelvs.agent.vrrp.VrrpRunnerLab.config;
import static io.kubelvs.agent.vrrp.VrrpRunnerLab.v3;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.testing.NoLeftoverNamespaces;
import io.kubelvs.agent.testing.Privileges;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link VrrpRunner} removes only the addresses it added, and a crash removes nothing. */
@ExtendWith(NoLeftoverNamespaces.class)
class VrrpRunnerAddressTest {
  static final Duration ADVERT = Duration.ofMillis(50);
  static final Duration WAIT = Duration.ofSeconds(5);

  VrrpRunnerLab lab;

  @BeforeEach
  void buildLab() {
    Privileges.requireRoot("run VRRP on raw sockets in a network-namespace lab");
    lab = new VrrpRunnerLab(1);
  }

  @AfterEach
  void tearDown() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void vipSomeoneElseAddedStaysAfterStop() throws Exception {
    lab.host("a").ip("address", "add", VIP.getHostAddress() + "/32", "dev", "v0");
    VrrpRunner a = lab.start("a", config(v3(100, ADVERT).build()));
    lab.awaitRole(a, VrrpRole.MASTER, WAIT);

    a.close();

    assertThat(a.role(INSTANCE)).isEqualTo(VrrpRole.STOPPED);
    assertThat(lab.ipAddrShowsVip("a")).isTrue();
  }

  @Test
  void stopRemovesTheVipItAdded() throws Exception {
    VrrpRunner a = lab.start("a", config(v3(100, ADVERT).build()));
    lab.awaitRole(a, VrrpRole.MASTER, WAIT);
    assertThat(lab.ipAddrShowsVip("a")).isTrue();

    a.close();

    assertThat(lab.ipAddrShowsVip("a")).isFalse();
  }

  @Test
  void killLeavesEverythingAsACrashWould() throws Exception {
    VrrpRunner a = lab.start("a", config(v3(100, ADVERT).build()));
    lab.awaitRole(a, VrrpRole.MASTER, WAIT);

    a.kill();

    assertThat(a.role(INSTANCE)).isEqualTo(VrrpRole.MASTER);
    assertThat(lab.ipAddrShowsVip("a")).isTrue();
  }
}
