package io.kubelvs.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.testing.Vm;
import org.junit.jupiter.api.Test;

/**
 * {@code kubelvs-agent run} against the real ip_vs module and raw sockets, inside hack/vm's VM
 * ({@link StandaloneRunVmMain} runs the steps there). Fails if any step fails or none ran.
 */
class StandaloneRunInVmTest {
  @Test
  void runAppliesReloadsRefusesStopsAndFlushesOnTheRealKernel() {
    Vm.Run run = Vm.runMain(StandaloneRunVmMain.class, 600);

    System.out.println(run.output());
    assertThat(run.output()).contains("standalone: 14 passed, 0 failed");
    assertThat(run.exitCode()).as("exit code of the steps in the VM").isZero();
  }
}
