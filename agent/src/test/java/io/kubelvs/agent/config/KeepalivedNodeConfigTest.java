package io.kubelvs.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole keepalived.conf read into the node model. */
class KeepalivedNodeConfigTest {
  private static final Path SAMPLE = Path.of("..", "samples", "keepalived", "keepalived.conf");

  @TempDir Path dir;

  @Test
  void theSeedsFileReadsWhole() throws Exception {
    NodeConfig node = KeepalivedNodeConfig.read(KeepalivedConf.parse(SAMPLE), "director-a");

    assertThat(node.global().routerId()).isEqualTo("LVS_DEVEL");
    assertThat(node.vrrp().runners()).hasSize(1);
    assertThat(node.vrrp().runners().get(0).instances()).hasSize(1);
    assertThat(node.virtualServers()).hasSize(1);
    assertThat(node.virtualServers().get(0).checks().realServers()).hasSize(2);
  }

  @Test
  void withoutRouterIdTheHostNameNamesTheDirector() throws Exception {
    Path file = ConfFiles.write(dir, "keepalived.conf", "global_defs {\n}\n");

    NodeConfig node = KeepalivedNodeConfig.read(KeepalivedConf.parse(file), "director-a");

    assertThat(node.global().routerId()).isEqualTo("director-a");
    assertThat(node.global().notificationFrom()).isEqualTo("keepalived@director-a");
    assertThat(node.global().smtpServer()).isEmpty();
  }

  @Test
  void problemsOfEveryPartComeTogetherEachOnce() throws Exception {
    Path file =
        ConfFiles.write(
            dir,
            "keepalived.conf",
            """
            global_defs {
                smtp_server mail.example.test
            }
            linkbeat_use_polling
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                virtual_ipaddress {
                    198.18.0.50
                }
                track_process {
                    chk
                }
            }
            virtual_server 198.18.0.50 80 {
                lb_kind DSR
            }
            """);

    try {
      KeepalivedNodeConfig.read(KeepalivedConf.parse(file), "director-a");
      throw new AssertionError("accepted");
    } catch (KeepalivedConfException refused) {
      List<String> problems = refused.problems().stream().map(ConfProblem::toString).toList();
      assertThat(problems)
          .containsExactly(
              file + ":4: unknown keyword 'linkbeat_use_polling'",
              file + ":2: smtp_server: 'mail.example.test' is not an IP address",
              file + ":11: track_process is not supported yet",
              file + ":16: lb_kind: expected NAT, DR or TUN, got 'DSR'");
    }
  }
}
