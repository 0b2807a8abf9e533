package io.kubelvs.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.testing.Vm;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The operator and two agents as processes, started by {@code hack/local-up.sh} against fabric8's
 * mock API server, inside hack/vm's VM where the kernel has ip_vs ({@link LocalUpVmMain} runs the
 * steps there). Fails if a step fails or none ran; with CI=true it fails, never skips, where the VM
 * cannot run.
 */
class LocalUpInVmTest {
  @Test
  void theSeedBecomesReadyAndItsMasterMovesWhenTheMastersAgentStopsOrDies() {
    Path repo = Path.of(System.getProperty("user.dir")).getParent();
    assertThat(repo.resolve("agent/target/kubelvs-agent.jar"))
        .as("the agent's runnable jar")
        .exists();
    assertThat(repo.resolve("operator/target/kubelvs-operator.jar"))
        .as("the operator's runnable jar")
        .exists();
    assertThat(Files.isExecutable(repo.resolve("hack/local-up.sh"))).isTrue();

    long start = System.nanoTime();
    Vm.Run run = Vm.runMain(LocalUpVmMain.class, 840, 2048);
    System.out.println(run.output());
    System.out.printf("local-up e2e in the VM: %.0f s%n", (System.nanoTime() - start) / 1e9);

    assertThat(run.output()).containsPattern("local-up: [1-9][0-9]* passed, 0 failed");
    assertThat(run.exitCode()).as("exit code of the steps in the VM").isZero();
  }
}
