package io.kubelvs.agent.vrrp;

import static io.kubelvs.agent.vrrp.TrackedCondition.Result.FAILURE;
import static io.kubelvs.agent.vrrp.TrackedCondition.Result.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** An instance's tracked scripts and I/O error folded into one verdict for its state machine. */
class InstanceTrackingTest {

  private static TrackedScript script(String name, int weight, int fall, boolean initFail) {
    Duration second = Duration.ofSeconds(1);
    return new TrackedScript(
        new TrackedCondition.Settings(name, second, second, 1, fall, weight, initFail),
        List.of("/bin/true"));
  }

  private static InstanceTracking tracking(TrackedScript... scripts) throws Exception {
    return new InstanceTracking(
        VrrpInstanceConfig.builder("VI_1", 51, InetAddress.getByName("198.18.0.1"))
            .priority(100)
            .virtualAddresses(InetAddress.getByName("198.18.0.50"))
            .trackScripts(List.of(scripts))
            .build());
  }

  @Test
  void untilAScriptHasRunTheInstanceIsAsConfigured() throws Exception {
    InstanceTracking t = tracking(script("chk", -10, 1, false), script("svc", 0, 1, false));

    assertThat(t.neutral()).isTrue();
    assertThat(t.verdict()).isEqualTo(new TrackedCondition.Verdict(100, Optional.empty()));
  }

  @Test
  void initFailWithWeightZeroFaultsBeforeTheFirstRun() throws Exception {
    InstanceTracking t = tracking(script("svc", 0, 1, true));

    assertThat(t.neutral()).isFalse();
    assertThat(t.verdict().fault()).contains("tracked svc down");
  }

  @Test
  void weightsOfSeveralScriptsAddUp() throws Exception {
    InstanceTracking t = tracking(script("up", 20, 1, false), script("down", -30, 1, false));

    assertThat(t.record("up", SUCCESS)).isTrue();
    assertThat(t.record("down", FAILURE)).isTrue();

    assertThat(t.verdict()).isEqualTo(new TrackedCondition.Verdict(90, Optional.empty()));
  }

  @Test
  void fallFailuresAreNeededBeforeTheWeightApplies() throws Exception {
    InstanceTracking t = tracking(script("chk", -10, 2, false));
    t.record("chk", SUCCESS);

    assertThat(t.record("chk", FAILURE)).isFalse();
    assertThat(t.verdict().effectivePriority()).isEqualTo(100);
    assertThat(t.record("chk", FAILURE)).isTrue();
    assertThat(t.verdict().effectivePriority()).isEqualTo(90);
  }

  @Test
  void aResultOfAScriptNotTrackedChangesNothing() throws Exception {
    InstanceTracking t = tracking(script("chk", -10, 1, false));

    assertThat(t.record("other", FAILURE)).isFalse();
    assertThat(t.tracks("other")).isFalse();
    assertThat(t.neutral()).isTrue();
  }

  @Test
  void anIoErrorFaultsWhileItLastsAndKeepsTheScriptsPriority() throws Exception {
    InstanceTracking t = tracking(script("chk", -10, 1, false), script("svc", 0, 1, false));
    t.record("chk", FAILURE);
    t.record("svc", FAILURE);

    t.ioError("RTM_NEWADDR: EPERM");
    assertThat(t.verdict())
        .isEqualTo(new TrackedCondition.Verdict(90, Optional.of("I/O error: RTM_NEWADDR: EPERM")));

    t.ioError(null);
    assertThat(t.verdict())
        .as("clearing the I/O error leaves the script's fault in place")
        .isEqualTo(new TrackedCondition.Verdict(90, Optional.of("tracked svc down")));
  }

  @Test
  void aTrackedInterfaceDownFaultsWithWeightZeroAndSubtractsANegativeWeight() throws Exception {
    InstanceTracking t =
        new InstanceTracking(
            VrrpInstanceConfig.builder("VI_1", 51, InetAddress.getByName("198.18.0.1"))
                .priority(100)
                .virtualAddresses(InetAddress.getByName("198.18.0.50"))
                .trackInterfaces(
                    List.of(new TrackedInterface("eth1", 0), new TrackedInterface("bond0", -25)))
                .build());

    assertThat(t.recordLink("eth1", true)).isTrue();
    assertThat(t.recordLink("bond0", false)).isTrue();
    assertThat(t.verdict()).isEqualTo(new TrackedCondition.Verdict(75, Optional.empty()));

    assertThat(t.recordLink("eth1", false)).isTrue();
    assertThat(t.verdict().fault()).contains("tracked interface eth1 down");
    assertThat(t.recordLink("eth1", false)).as("the same state again is no change").isFalse();
    assertThat(t.recordLink("eth9", false)).as("an interface not tracked").isFalse();
  }

  @Test
  void aTrackedFilesValueMovesThePriorityAndAtMinus254FaultsTheInstance() throws Exception {
    InstanceTracking t =
        new InstanceTracking(
            VrrpInstanceConfig.builder("VI_1", 51, InetAddress.getByName("198.18.0.1"))
                .priority(100)
                .virtualAddresses(InetAddress.getByName("198.18.0.50"))
                .trackFiles(
                    List.of(
                        new TrackedFile(
                            "load", Path.of("/run/load"), -1, OptionalInt.empty(), false)))
                .build());

    assertThat(t.recordFile("load", 30)).isTrue();
    assertThat(t.verdict()).isEqualTo(new TrackedCondition.Verdict(70, Optional.empty()));
    assertThat(t.recordFile("load", 254)).isTrue();
    assertThat(t.verdict().fault()).contains("tracked file load down");
    assertThat(t.recordFile("other", 5)).isFalse();
  }
}
