package io.kubelvs.agent.ipvs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Opening the client where the kernel has no IPVS (this build machine's kernel, for one) is a clear
 * error that says how to load it, not a stack trace from deep in netlink.
 */
class IpvsClientModuleTest {
  @Test
  void withoutTheIpVsModuleOpeningSaysHowToLoadIt() {
    if (Files.exists(Path.of("/proc/net/ip_vs"))) {
      // A kernel with IPVS: then opening must simply work.
      try (IpvsClient client = IpvsClient.open()) {
        assertThat(client.info().version()).isPositive();
      }
      return;
    }

    assertThatThrownBy(IpvsClient::open)
        .isInstanceOf(IpvsException.class)
        .hasMessageStartingWith("the kernel has no IPVS")
        .hasMessageContaining("modprobe ip_vs")
        .extracting(e -> ((IpvsException) e).errnoName())
        .isEqualTo("ENOENT");
  }
}
