package io.kubelvs.agent.ipvs;

import static io.kubelvs.agent.ipvs.IpvsFixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reconciler on the real ip_vs module: converges, keeps foreign rules, survives a kill. */
@Tag("ipvs-kernel")
class IpvsReconcilerKernelTest {
  /** Rules another tool made (kube-proxy, by hand): they must survive byte for byte. */
  private static final String FOREIGN_RULES =
      String.join(
          "\n",
          "-A -t 198.19.200.1:443 -s rr",
          "-a -t 198.19.200.1:443 -r 198.19.201.1:6443 -m -w 1",
          "-A -u 198.19.200.2:53 -s wrr",
          "-a -u 198.19.200.2:53 -r 198.19.201.2:53 -m -w 3",
          "");

  @TempDir Path dir;
  private IpvsClient client;
  private IpvsReconciler reconciler;

  @BeforeEach
  void startWithForeignRulesOnly() {
    Ipvsadm.clear();
    Ipvsadm.restore(FOREIGN_RULES);
    client = IpvsClient.open();
    reconciler = new IpvsReconciler(client, OwnedServicesStore.file(dir.resolve("owned")));
  }

  @AfterEach
  void close() {
    client.close();
  }

  private static List<String> foreignLines() {
    return Ipvsadm.save().stream().filter(l -> l.contains("198.19.20")).toList();
  }

  @Test
  void convergesFromEmptyAndThenHasNothingToDo() {
    List<DesiredService> desired = LabServices.services(3, 2);

    ReconcileResult first = reconciler.reconcile(desired);
    ReconcileResult second = reconciler.reconcile(desired);

    assertThat(first.counts().total()).isEqualTo(9);
    assertThat(second.applied()).isEmpty();
    assertThat(Ipvsadm.save())
        .contains(
            "-A -t 198.18.0.1:80 -s rr",
            "-a -t 198.18.0.1:80 -r 198.19.0.1:80 -g -w 1",
            "-a -t 198.18.0.3:80 -r 198.19.1.3:80 -g -w 1")
        .hasSize(9 + 4);
  }

  @Test
  void fromASupersetItDeletesOnlyWhatItOwns() {
    reconciler.reconcile(LabServices.services(5, 1));

    ReconcileResult shrink = reconciler.reconcile(LabServices.services(2, 1));

    assertThat(shrink.counts().total()).isEqualTo(3);
    assertThat(Ipvsadm.save())
        .containsExactlyInAnyOrder(
            "-A -t 198.18.0.1:80 -s rr",
            "-a -t 198.18.0.1:80 -r 198.19.0.1:80 -g -w 1",
            "-A -t 198.18.0.2:80 -s rr",
            "-a -t 198.18.0.2:80 -r 198.19.0.2:80 -g -w 1",
            "-A -t 198.19.200.1:443 -s rr",
            "-a -t 198.19.200.1:443 -r 198.19.201.1:6443 -m -w 1",
            "-A -u 198.19.200.2:53 -s wrr",
            "-a -u 198.19.200.2:53 -r 198.19.201.2:53 -m -w 3");
  }

  @Test
  void aForeignRuleOnTheSameKeyIsReportedNotOverwritten() {
    List<String> before = foreignLines();
    DesiredService clash =
        DesiredService.of(
            IpvsService.of(ServiceKey.tcp(ip("198.19.200.1"), 443), "wlc"),
            Destination.of(ip("198.19.202.1"), 443, Forwarding.DR, 7));

    ReconcileResult result = reconciler.reconcile(List.of(clash));

    assertThat(result.conflicts())
        .extracting(c -> c.key().toString())
        .containsExactly("198.19.200.1:443/TCP");
    assertThat(result.applied()).isEmpty();
    assertThat(foreignLines()).isEqualTo(before);
  }

  @Test
  void aWeightChangeIsOneRequestAndEditsInPlace() {
    List<DesiredService> desired = LabServices.services(50, 4);
    reconciler.reconcile(desired);
    List<DesiredService> changed = new ArrayList<>(desired);
    DesiredService old = changed.get(17);
    List<Destination> dests = new ArrayList<>(old.destinations());
    dests.set(2, dests.get(2).withWeight(0));
    changed.set(17, new DesiredService(old.service(), dests));

    ReconcileResult result = reconciler.reconcile(changed);

    assertThat(result.applied())
        .hasSize(1)
        .first()
        .isInstanceOf(IpvsOperation.EditDestination.class);
    assertThat(Ipvsadm.save()).contains("-a -t 198.18.0.18:80 -r 198.19.2.18:80 -g -w 0");
  }

  @Test
  void aKernelRefusalLeavesTheTableAsItWas() {
    reconciler.reconcile(LabServices.services(2, 1));
    List<String> before = Ipvsadm.save();
    List<DesiredService> desired = new ArrayList<>(LabServices.services(4, 1));
    // ovf exists, "twos" does not in this kernel: the service after it is refused with ENOENT.
    desired.set(3, new DesiredService(desired.get(3).service().withScheduler("twos"), List.of()));

    assertThatThrownBy(() -> reconciler.reconcile(desired))
        .isInstanceOf(IpvsReconcileException.class)
        .hasMessageContaining("IPVS_CMD_NEW_SERVICE 198.18.0.4:80/TCP: ENOENT");
    assertThat(Ipvsadm.save()).isEqualTo(before);
  }

  @Test
  void afterBeingKilledMidApplyTheNextReconcileConverges() throws Exception {
    Path store = dir.resolve("owned-by-child");
    int count = 4000;
    Process child = startChild(store, count);
    awaitLine(child, "applying");
    // Kill it as soon as the kernel has the first of its services: its batches are still going.
    while (client.services().size() <= 2 && child.isAlive()) {
      Thread.onSpinWait();
    }
    child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    int partial = client.services().size() - 2;
    assertThat(partial).as("services applied before the kill").isBetween(1, count - 1);

    IpvsReconciler restarted = new IpvsReconciler(client, OwnedServicesStore.file(store));
    ReconcileResult converged = restarted.reconcile(LabServices.services(count, 1));
    assertThat(converged.conflicts()).isEmpty();
    assertThat(client.services()).hasSize(count + 2);

    restarted.reconcile(List.of());
    assertThat(Ipvsadm.save()).containsExactlyInAnyOrderElementsOf(FOREIGN_RULES.lines().toList());
  }

  private static Process startChild(Path store, int count) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        List.of(
            java,
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            ReconcileUntilKilled.class.getName(),
            store.toString(),
            Integer.toString(count));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static void awaitLine(Process child, String expected) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    List<String> seen = new ArrayList<>();
    for (String line; (line = out.readLine()) != null; ) {
      if (line.equals(expected)) {
        return;
      }
      seen.add(line);
    }
    throw new AssertionError("child ended without printing " + expected + ": " + seen);
  }
}
