package io.kubelvs.agent.ipvs;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.testing.Vm;
import io.kubelvs.agent.testing.VmTestMain;
import org.junit.jupiter.api.Test;

/**
 * Runs every test tagged {@code ipvs-kernel} inside hack/vm's VM, where Debian's kernel has the
 * ip_vs module: this machine's kernel has none. Fails if any fails or none ran.
 */
class IpvsKernelTestsInVmTest {
  @Test
  void ipvsKernelTestsPassOnTheRealIpVsModule() {
    Vm.Run run = Vm.runMain(VmTestMain.class, 900, "ipvs-kernel", "io.kubelvs.agent.ipvs");

    System.out.println(run.output());
    assertThat(run.output()).containsPattern("ipvs-kernel: [1-9][0-9]* passed, 0 failed");
    assertThat(run.exitCode()).as("exit code of the tests in the VM").isZero();
  }
}
