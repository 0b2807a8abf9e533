package io.kubelvs.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.config.KeepalivedConf;
import io.kubelvs.agent.config.KeepalivedVrrp;
import io.kubelvs.agent.config.VrrpConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two families of one interface run as two runners, each saving the VIPs it holds: their
 * records must not be one file, or each save would drop the other family's VIPs.
 */
class VrrpEngineStoreNameTest {
  @Test
  void theIpv4AndIpv6RunnersOfOneInterfaceKeepSeparateVipRecords(@TempDir Path dir)
      throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("keepalived.conf"),
            """
            vrrp_instance V4 {
                interface eth0
                virtual_router_id 51
                priority 100
                version 3
                virtual_ipaddress {
                    198.18.0.50
                }
            }
            vrrp_instance V6 {
                interface eth0
                virtual_router_id 52
                priority 100
                version 3
                virtual_ipaddress {
                    2001:db8::50
                }
            }
            """);
    VrrpConfig config = KeepalivedVrrp.readVrrp(KeepalivedConf.parse(file));

    assertThat(config.runners())
        .extracting(VrrpEngine::storeName)
        .containsExactlyInAnyOrder("eth0", "eth0-inet6");
  }
}
