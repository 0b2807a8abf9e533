package io.kubelvs.agent.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.testing.KeepalivedPeer;
import io.kubelvs.agent.testing.KeepalivedPeer.State;
import io.kubelvs.agent.testing.KeepalivedPeerConfig;
import io.kubelvs.agent.testing.NetnsLab;
import io.kubelvs.agent.testing.NoLeftoverNamespaces;
import io.kubelvs.agent.testing.Privileges;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * kubelvs' VRRP stack against the real keepalived 2.2.7 on a network-namespace lab (host a =
 * 198.18.0.11, b = .12): the seed's router (VRID 99, group 224.0.100.99, VIP 198.18.0.50) as VRRPv2
 * with PASS authentication at 1 s and as VRRPv3 at 100 ms. Each side must accept the other's
 * adverts (the lower priority stays BACKUP and holds no VIP) and take over when the master crashes
 * (SIGKILL and link down).
 */
@ExtendWith(NoLeftoverNamespaces.class)
class KeepalivedInteropTest {
  static final int VRID = 99;
  static final String GROUP = "224.0.100.99";
  static final String VIP = "198.18.0.50";
  static final String VIP_CIDR = VIP + "/32";
  static final String PASSWORD = "571f97b2";
  static final Duration STARTUP = Duration.ofSeconds(20);

  /**
   * After a priority-0 advert the backup waits only its skew time, (256 - 98) / 256 s at v2, not
   * the 3.6 s Master_Down_Interval: a bound between the two proves the handover was heard.
   */
  static final Duration HANDOVER = Duration.ofMillis(2500);

  /** The two configurations of the seed's router the interop is proven for. */
  enum Flavor {
    V2_PASS_1S(2, Duration.ofSeconds(1), true),
    V3_100MS(3, Duration.ofMillis(100), false);

    final int version;
    final Duration advert;
    final boolean auth;

    Flavor(int version, Duration advert, boolean auth) {
      this.version = version;
      this.advert = advert;
      this.auth = auth;
    }

    /** RFC 5798 §6.1 Master_Down_Interval of a backup at {@code priority}, plus slack. */
    Duration takeoverBound(int priority) {
      long masterDown = 3 * advert.toMillis() + (256 - priority) * advert.toMillis() / 256;
      return Duration.ofMillis(masterDown + 3000);
    }

    /** Long enough that a backup deaf to the master's adverts would have become master. */
    Duration silenceToProveBackup(int priority) {
      return takeoverBound(priority).minusMillis(1500);
    }

    KeepalivedPeerConfig keepalived(int priority) {
      KeepalivedPeerConfig config =
          KeepalivedPeerConfig.of(version, VRID, priority, advert, GROUP, VIP_CIDR);
      return auth ? config.withAuthPass(PASSWORD) : config;
    }

    List<String> kubelvs(int priority) {
      List<String> arguments = new ArrayList<>();
      arguments.addAll(List.of("--interface", NetnsLab.INTERFACE, "--version", "" + version));
      arguments.addAll(List.of("--vrid", "" + VRID, "--priority", "" + priority));
      arguments.addAll(List.of("--advert", advert.toMillis() % 1000 == 0 ? "1s" : "100ms"));
      arguments.addAll(List.of("--group", GROUP, "--vip", VIP_CIDR));
      if (auth) {
        arguments.addAll(List.of("--auth", PASSWORD));
      }
      return arguments;
    }
  }

  NetnsLab lab;
  final List<AutoCloseable> started = new ArrayList<>();

  @BeforeEach
  void buildLab() {
    Privileges.requireRoot("build a network-namespace lab and run keepalived in it");
    lab = NetnsLab.create(2);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable process : started) {
      process.close();
    }
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void twoKeepalivedsElectTheHigherPriorityAndTheBackupTakesOverWhenItCrashes() throws Exception {
    Flavor flavor = Flavor.V2_PASS_1S;
    KeepalivedPeer master = keepalived("a", flavor.keepalived(100));
    KeepalivedPeer backup = keepalived("b", flavor.keepalived(98));

    master.awaitState(State.MASTER, STARTUP);
    backup.awaitState(State.BACKUP, STARTUP);
    Thread.sleep(flavor.silenceToProveBackup(98).toMillis());
    assertThat(master.state()).isEqualTo(State.MASTER);
    assertThat(backup.state()).isEqualTo(State.BACKUP);
    awaitVip(master.host(), true);
    assertThat(holdsVip(backup.host())).isFalse();

    master.crash();

    backup.awaitState(State.MASTER, flavor.takeoverBound(98));
    awaitVip(backup.host(), true);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Flavor.class)
  void kubelvsStaysBackupUnderAKeepalivedMasterAndTakesOverWhenItCrashes(Flavor flavor)
      throws Exception {
    KeepalivedPeer master = keepalived("a", flavor.keepalived(100));
    master.awaitState(State.MASTER, STARTUP);
    awaitVip(master.host(), true);

    KeepalivedInteropLabProcess backup = kubelvs("b", flavor.kubelvs(98));
    backup.awaitReady(STARTUP);
    backup.awaitState("BACKUP", STARTUP);
    Thread.sleep(flavor.silenceToProveBackup(98).toMillis());
    assertThat(backup.states()).doesNotContain("MASTER");
    assertThat(holdsVip(backup.host())).isFalse();
    assertThat(master.states()).endsWith(State.MASTER);

    master.crash();

    backup.awaitState("MASTER", flavor.takeoverBound(98));
    awaitVip(backup.host(), true);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Flavor.class)
  void keepalivedStaysBackupUnderAKubelvsMasterAndTakesOverWhenItIsKilled(Flavor flavor)
      throws Exception {
    KeepalivedInteropLabProcess master = kubelvs("a", flavor.kubelvs(100));
    master.awaitReady(STARTUP);
    master.awaitState("MASTER", STARTUP);
    awaitVip(master.host(), true);

    KeepalivedPeer backup = keepalived("b", flavor.keepalived(98));
    backup.awaitState(State.BACKUP, STARTUP);
    Thread.sleep(flavor.silenceToProveBackup(98).toMillis());
    assertThat(backup.states()).doesNotContain(State.MASTER);
    assertThat(backup.log())
        .as("keepalived accepted kubelvs' adverts without complaint")
        .noneMatch(line -> line.contains("Receive advertisement timeout"))
        .noneMatch(line -> line.contains("not present in MASTER advert"))
        .noneMatch(line -> line.toLowerCase().contains("auth"));
    assertThat(holdsVip(backup.host())).isFalse();
    assertThat(master.state()).isEqualTo("MASTER");

    master.kill();

    backup.awaitState(State.MASTER, flavor.takeoverBound(98));
    awaitVip(backup.host(), true);
  }

  @Test
  void aKeepalivedBackupTakesOverWithinItsSkewTimeWhenTheMasterStopsGracefully() throws Exception {
    Flavor flavor = Flavor.V2_PASS_1S;
    KeepalivedPeer master = keepalived("a", flavor.keepalived(100));
    master.awaitState(State.MASTER, STARTUP);
    KeepalivedPeer backup = keepalived("b", flavor.keepalived(98));
    backup.awaitState(State.BACKUP, STARTUP);

    master.stopGracefully();

    backup.awaitState(State.MASTER, HANDOVER);
    awaitVip(backup.host(), true);
    assertThat(holdsVip(master.host())).isFalse();
  }

  @Test
  void keepalivedTakesOverWithinItsSkewTimeWhenKubelvsHandsOverOnSigterm() throws Exception {
    Flavor flavor = Flavor.V2_PASS_1S;
    KeepalivedInteropLabProcess master = kubelvs("a", flavor.kubelvs(100));
    master.awaitState("MASTER", STARTUP);
    KeepalivedPeer backup = keepalived("b", flavor.keepalived(98));
    backup.awaitState(State.BACKUP, STARTUP);

    int exitCode = master.stopGracefully();

    assertThat(exitCode).isZero();
    assertThat(master.output()).contains("STOPPED");
    backup.awaitState(State.MASTER, HANDOVER);
    awaitVip(backup.host(), true);
    awaitVip(master.host(), false);
  }

  KeepalivedPeer keepalived(String host, KeepalivedPeerConfig config) {
    KeepalivedPeer peer = KeepalivedPeer.start(lab.host(host), config);
    started.add(peer);
    return peer;
  }

  KeepalivedInteropLabProcess kubelvs(String host, List<String> arguments) {
    KeepalivedInteropLabProcess process =
        KeepalivedInteropLabProcess.start(lab.host(host), arguments);
    started.add(process);
    return process;
  }

  static boolean holdsVip(NetnsLab.Host host) {
    return host.ip("-4", "-o", "address", "show", "dev", NetnsLab.INTERFACE).contains(VIP_CIDR);
  }

  /** The master adds the VIP right after it logs the state change: allow it a moment. */
  static void awaitVip(NetnsLab.Host host, boolean held) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (holdsVip(host) != held && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(holdsVip(host)).as("%s holds %s", host, VIP_CIDR).isEqualTo(held);
  }
}
