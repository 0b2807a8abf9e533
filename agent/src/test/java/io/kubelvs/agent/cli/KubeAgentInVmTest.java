package io.kubelvs.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.testing.Vm;
import org.junit.jupiter.api.Test;

/**
 * {@code kubelvs-agent run --node} following a Director on the mock API server, on the real ip_vs
 * module inside hack/vm's VM, through an API outage and a restart without the API server ({@link
 * KubeAgentVmMain} runs the steps there). Fails if any step fails or none ran.
 */
class KubeAgentInVmTest {
  @Test
  void theAgentFollowsItsDirectorAndKeepsTheDataPlaneThroughAnApiOutage() {
    Vm.Run run = Vm.runMain(KubeAgentVmMain.class, 900);

    System.out.println(run.output());
    assertThat(run.output()).contains("kube-agent: 14 passed, 0 failed");
    assertThat(run.exitCode()).as("exit code of the steps in the VM").isZero();
  }
}
