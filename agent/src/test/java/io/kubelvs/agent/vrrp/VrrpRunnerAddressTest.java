package io.kubelvs.agent.vrrp;

import static io.kubelvs.agent.vrrp.VrrpRunnerLab.INSTANCE;
import static io.kubelvs.agent.vrrp.VrrpRunnerLab.VIP;
import static io.kubelvs.agent.vrrp.VrrpRunnerLab.config;
import static io.kubelvs.agent.vrrp.VrrpRunnerLab.v3;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.netlink.CidrAddress;
import io.kubelvs.agent.testing.NoLeftoverNamespaces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VrrpRunner} removes only the addresses it added, a crash removes nothing, and the next
 * start takes back what the crashed run recorded in its {@link VipStore}.
 */
@ExtendWith(NoLeftoverNamespaces.class)
class VrrpRunnerAddressTest {
  static final Duration ADVERT = Duration.ofMillis(50);
  static final Duration WAIT = Duration.ofSeconds(5);

  @RegisterExtension final VrrpRunnerLab lab = VrrpRunnerLab.perTest(1);

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
  void restartAfterACrashRemovesTheVipTheCrashedRunAdded(@TempDir Path state) throws Exception {
    FileVipStore store = new FileVipStore(state.resolve("vips"));
    VrrpRunner crashed = lab.start("a", config(v3(100, ADVERT).build()), store);
    lab.awaitRole(crashed, VrrpRole.MASTER, WAIT);
    // Recorded right after the gratuitous ARPs, off the takeover's path.
    Set<CidrAddress> vip = Set.of(CidrAddress.parse(VIP.getHostAddress() + "/32"));
    VrrpRunnerLab.await(() -> store.load().equals(vip), WAIT, "the VIP recorded");
    crashed.kill();

    // The restarted instance begins as backup: the VIP goes at once, as keepalived's start does,
    // and comes back when it becomes master again.
    // A 1 s advert interval makes its Master_Down_Interval (3.6 s) far longer than the look.
    VrrpRunner restarted = lab.start("a", config(v3(100, Duration.ofSeconds(1)).build()), store);
    assertThat(lab.ipAddrShowsVip("a")).isFalse();
    lab.awaitRole(restarted, VrrpRole.MASTER, WAIT.multipliedBy(2));
    assertThat(lab.ipAddrShowsVip("a")).isTrue();

    restarted.close();

    assertThat(lab.ipAddrShowsVip("a")).isFalse();
    assertThat(store.load()).isEmpty();
  }

  @Test
  void restartRemovesARecordedVipNoInstanceConfiguresAnyMore(@TempDir Path state) throws Exception {
    FileVipStore store = new FileVipStore(state.resolve("vips"));
    CidrAddress dropped = CidrAddress.parse("198.18.0.51/32");
    lab.host("a").ip("address", "add", dropped.toString(), "dev", "v0");
    store.save(Set.of(dropped));

    VrrpRunner a = lab.start("a", config(v3(100, ADVERT).build()), store);

    assertThat(lab.host("a").ip("-o", "-4", "address", "show", "dev", "v0"))
        .doesNotContain(" 198.18.0.51/32 ");
    assertThat(store.load()).doesNotContain(dropped);
    a.close();
  }

  @Test
  void aRecordedVipThatIsGoneIsForgotten(@TempDir Path state) throws Exception {
    FileVipStore store = new FileVipStore(state.resolve("vips"));
    store.save(Set.of(CidrAddress.parse(VIP.getHostAddress() + "/32")));

    VrrpRunner a = lab.start("a", config(v3(100, ADVERT).build()), store);

    assertThat(store.load()).isEmpty();
    a.close();
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
