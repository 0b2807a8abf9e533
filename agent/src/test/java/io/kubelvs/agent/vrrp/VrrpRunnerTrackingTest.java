package io.kubelvs.agent.vrrp;

import static io.kubelvs.agent.vrrp.VrrpRunnerLab.GROUP;
import static io.kubelvs.agent.vrrp.VrrpRunnerLab.INSTANCE;
import static io.kubelvs.agent.vrrp.VrrpRunnerLab.v3;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.netlink.CidrAddress;
import io.kubelvs.agent.testing.NetnsLab;
import io.kubelvs.agent.testing.NoLeftoverNamespaces;
import io.kubelvs.agent.vrrp.VrrpRunnerConfig.SyncGroupMembers;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * keepalived's vrrp_script and vrrp_sync_group on real runners in a namespace lab: a real script
 * whose failure lowers the master's priority below the backup's, and a failing weight-0 script that
 * takes a whole sync group to FAULT.
 */
@ExtendWith(NoLeftoverNamespaces.class)
class VrrpRunnerTrackingTest {
  static final Duration ADVERT = Duration.ofMillis(50);
  static final Duration WAIT = Duration.ofSeconds(10);
  static final InetAddress VIP2 = CidrAddress.parse("198.18.0.51").address();

  @RegisterExtension final VrrpRunnerLab lab = VrrpRunnerLab.perTest(2);

  @TempDir Path dir;

  /** A script that succeeds while {@code marker} exists, run every 100 ms. */
  private static TrackedScript whileExists(String name, Path marker, int weight) {
    Duration interval = Duration.ofMillis(100);
    return new TrackedScript(
        new TrackedCondition.Settings(name, interval, Duration.ofSeconds(5), 1, 1, weight, false),
        List.of("/usr/bin/test", "-e", marker.toString()));
  }

  @Test
  void aFailingScriptWithANegativeWeightMakesTheMasterStepDownToTheBackup() throws Exception {
    Path healthy = Files.writeString(dir.resolve("haproxy-ok"), "");
    VrrpRunner a =
        lab.start(
            "a",
            VrrpRunnerLab.config(
                v3(100, ADVERT).trackScripts(List.of(whileExists("chk", healthy, -10))).build()));
    lab.awaitRole(a, VrrpRole.MASTER, WAIT);
    VrrpRunner b = lab.start("b", VrrpRunnerLab.config(v3(95, ADVERT).build()));
    lab.awaitRole(b, VrrpRole.BACKUP, WAIT);
    assertThat(a.priority(INSTANCE)).isEqualTo(100);

    Files.delete(healthy);

    lab.awaitRole(b, VrrpRole.MASTER, WAIT);
    lab.awaitRole(a, VrrpRole.BACKUP, WAIT);
    assertThat(a.priority(INSTANCE)).isEqualTo(90);
    assertThat(lab.ipAddrShowsVip("b")).isTrue();
    assertThat(lab.ipAddrShowsVip("a")).isFalse();

    Files.writeString(healthy, "");

    lab.awaitRole(a, VrrpRole.MASTER, WAIT);
    assertThat(a.priority(INSTANCE)).isEqualTo(100);
  }

  @Test
  void aWeightZeroScriptDownFaultsItsInstanceAndTheSyncGroupTakesTheOtherAlong() throws Exception {
    Path healthy = Files.writeString(dir.resolve("db-ok"), "");
    VrrpRunner a =
        lab.start(
            "a",
            group(
                v3(100, ADVERT).build(),
                second(100).trackScripts(List.of(whileExists("db", healthy, 0))).build()));
    VrrpRunner b = lab.start("b", group(v3(95, ADVERT).build(), second(95).build()));
    lab.awaitRole(a, VrrpRole.MASTER, WAIT);
    VrrpRunnerLab.await(() -> a.role("VI_2") == VrrpRole.MASTER, WAIT, "a masters VI_2");
    lab.awaitRole(b, VrrpRole.BACKUP, WAIT);

    Files.delete(healthy);

    VrrpRunnerLab.await(() -> a.role("VI_2") == VrrpRole.FAULT, WAIT, "a's VI_2 in FAULT");
    lab.awaitRole(a, VrrpRole.FAULT, WAIT);
    lab.awaitRole(b, VrrpRole.MASTER, WAIT);
    VrrpRunnerLab.await(() -> b.role("VI_2") == VrrpRole.MASTER, WAIT, "b masters VI_2");
    assertThat(lab.ipAddrShowsVip("a")).isFalse();
  }

  @Test
  void aTrackedInterfaceGoingDownFaultsTheMasterAndComingBackRestoresIt() throws Exception {
    // A veth pair inside a's namespace: this kernel has no dummy driver.
    lab.host("a").ip("link", "add", "uplink0", "type", "veth", "peer", "name", "uplink1");
    lab.host("a").ip("link", "set", "uplink1", "up");
    lab.host("a").ip("link", "set", "uplink0", "up");
    VrrpRunner a =
        lab.start(
            "a",
            VrrpRunnerLab.config(
                v3(100, ADVERT)
                    .trackInterfaces(List.of(new TrackedInterface("uplink0", 0)))
                    .build()));
    lab.awaitRole(a, VrrpRole.MASTER, WAIT);
    VrrpRunner b = lab.start("b", VrrpRunnerLab.config(v3(95, ADVERT).build()));
    lab.awaitRole(b, VrrpRole.BACKUP, WAIT);

    lab.host("a").ip("link", "set", "uplink0", "down");

    lab.awaitRole(a, VrrpRole.FAULT, WAIT);
    lab.awaitRole(b, VrrpRole.MASTER, WAIT);
    assertThat(lab.ipAddrShowsVip("a")).isFalse();

    lab.host("a").ip("link", "set", "uplink0", "up");

    lab.awaitRole(a, VrrpRole.MASTER, WAIT);
    lab.awaitRole(b, VrrpRole.BACKUP, WAIT);
  }

  @Test
  void aTrackedInterfaceThatDoesNotExistCountsAsDownFromTheStart() throws Exception {
    VrrpRunner a =
        lab.start(
            "a",
            VrrpRunnerLab.config(
                v3(100, ADVERT)
                    .trackInterfaces(List.of(new TrackedInterface("nosuch0", -20)))
                    .build()));
    VrrpRunner b = lab.start("b", VrrpRunnerLab.config(v3(95, ADVERT).build()));

    lab.awaitRole(b, VrrpRole.MASTER, WAIT);
    lab.awaitRole(a, VrrpRole.BACKUP, WAIT);
    assertThat(a.priority(INSTANCE)).isEqualTo(80);
  }

  @Test
  void aTrackedFilesNumberTimesItsWeightLowersTheMasterBelowTheBackup() throws Exception {
    Path load = Files.writeString(dir.resolve("load"), "0\n");
    VrrpRunner a =
        lab.start(
            "a",
            VrrpRunnerLab.config(
                v3(100, ADVERT)
                    .trackFiles(
                        List.of(new TrackedFile("load", load, -1, OptionalInt.empty(), false)))
                    .build()));
    lab.awaitRole(a, VrrpRole.MASTER, WAIT);
    VrrpRunner b = lab.start("b", VrrpRunnerLab.config(v3(95, ADVERT).build()));
    lab.awaitRole(b, VrrpRole.BACKUP, WAIT);

    Files.writeString(load, "30\n");

    lab.awaitRole(b, VrrpRole.MASTER, WAIT);
    lab.awaitRole(a, VrrpRole.BACKUP, WAIT);
    assertThat(a.priority(INSTANCE)).isEqualTo(70);
  }

  @Test
  void initFileWritesTheFileAtStartAndWeightZeroFaultsOnANonZeroValue() throws Exception {
    Path flag = dir.resolve("goto_backup");
    VrrpRunner a =
        lab.start(
            "a",
            VrrpRunnerLab.config(
                v3(100, ADVERT)
                    .trackFiles(List.of(new TrackedFile("flag", flag, 0, OptionalInt.of(0), false)))
                    .build()));
    lab.awaitRole(a, VrrpRole.MASTER, WAIT);
    assertThat(Files.readString(flag)).isEqualTo("0\n");

    Files.writeString(flag, "1\n");

    lab.awaitRole(a, VrrpRole.FAULT, WAIT);
    assertThat(lab.ipAddrShowsVip("a")).isFalse();
  }

  private static VrrpInstanceConfig.Builder second(int priority) {
    return VrrpInstanceConfig.builder("VI_2", 98, VrrpRunnerConfig.UNRESOLVED_PRIMARY)
        .version(3)
        .priority(priority)
        .advertInterval(ADVERT)
        .virtualAddresses(VIP2);
  }

  private static VrrpRunnerConfig group(VrrpInstanceConfig first, VrrpInstanceConfig second) {
    return VrrpRunnerConfig.of(
            NetnsLab.INTERFACE, StandardProtocolFamily.INET, List.of(first, second))
        .withGroup(GROUP)
        .withSyncGroups(List.of(new SyncGroupMembers("VG_1", List.of(INSTANCE, "VI_2"))));
  }
}
