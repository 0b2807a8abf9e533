package io.kubelvs.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The written configuration reads back into the same statements and the same node config. */
class KeepalivedConfWriterTest {
  private static final Path SAMPLE = Path.of("..", "samples", "keepalived", "keepalived.conf");

  @Test
  void theSeedReadsBackIntoTheSameNodeConfig(@TempDir Path dir) throws Exception {
    KeepalivedConf source = KeepalivedConf.parse(SAMPLE);

    Path written = ConfFiles.write(dir, "written.conf", KeepalivedConfWriter.write(source.root()));
    KeepalivedConf reread = KeepalivedConf.parse(written);

    assertThat(ConfFiles.shape(reread.root())).isEqualTo(ConfFiles.shape(source.root()));
    assertThat(KeepalivedNodeConfig.read(reread, "host"))
        .isEqualTo(KeepalivedNodeConfig.read(source, "host"));
  }

  @Test
  void includesConditionalsAndWordsThatNeedQuotesSurvive(@TempDir Path dir) throws Exception {
    ConfFiles.write(
        dir,
        "conf.d/mail.conf",
        """
        notification_email {
          "ops team@example.org"   # a space inside quotes
        }
        """);
    Path main =
        ConfFiles.write(
            dir,
            "keepalived.conf",
            """
            global_defs {
              include conf.d/*.conf
              @main router_id MAIN
              @^main router_id OTHER
            }
            vrrp_instance VI_1 {
              interface eth0
              virtual_router_id 51
              priority 100
              notify "/usr/bin/logger -t vrrp {x} #1 !"
              virtual_ipaddress {
                198.18.0.50/24 dev eth0 label eth0:1
              }
            }
            """);
    KeepalivedConf source = KeepalivedConf.parse(main, "main");

    String text = KeepalivedConfWriter.write(source.root());
    KeepalivedConf reread = KeepalivedConf.parse(ConfFiles.write(dir, "out/written.conf", text));

    assertThat(ConfFiles.shape(reread.root())).isEqualTo(ConfFiles.shape(source.root()));
    assertThat(text)
        .contains("\"ops team@example.org\"", "router_id MAIN")
        .doesNotContain("OTHER", "include", "@main");
    assertThat(reread.statements("vrrp_instance").get(0).requireString("notify"))
        .isEqualTo("/usr/bin/logger -t vrrp {x} #1 !");
  }

  @Test
  void anEmptyBlockStaysABlock(@TempDir Path dir) throws Exception {
    Path main = ConfFiles.write(dir, "k.conf", "global_defs {\n}\n");

    String text = KeepalivedConfWriter.write(KeepalivedConf.parse(main).root());

    assertThat(text).isEqualTo("global_defs {\n}\n");
  }

  @Test
  void aWordWithADoubleQuoteIsRefusedRatherThanWrittenWrong() {
    ConfNode root =
        new ConfNode(
            "",
            List.of(),
            true,
            List.of(
                new ConfNode(
                    "router_id", List.of("a\"b"), false, List.of(), new ConfPosition(SAMPLE, 1))),
            ConfPosition.wholeFile(SAMPLE));

    assertThatThrownBy(() -> KeepalivedConfWriter.write(root))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a\"b");
  }
}
