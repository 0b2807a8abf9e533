package io.kubelvs.agent.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubelvs.agent.config.ConfProblem;
import io.kubelvs.agent.config.KeepalivedConfException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the resources cannot say becomes a {@code #} comment naming the keepalived keyword and its
 * file:line, above the resource it concerns; the rest of the file still converts.
 */
class ConversionNotesTest {
  @TempDir Path dir;

  private static final String VS =
      """
      virtual_server 198.18.0.50 80 {
          real_server 198.18.0.101 80 {
              TCP_CHECK {
                  connect_timeout 1
              }
          }
      }
      """;

  private String file() {
    return dir.resolve("keepalived.conf").toString();
  }

  @Test
  void aKeywordWithoutAFieldBecomesACommentAtItsFileAndLine() throws Exception {
    Converted converted =
        Converted.text(
            dir,
            """
            vrrp_script chk_nginx {
                script "pidof nginx"
            }
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                notify_master "/usr/local/bin/became-master"
                track_script {
                    chk_nginx
                }
                virtual_ipaddress {
                    198.18.0.50
                }
            }
            """
                + VS);

    converted.assertAcceptedByTheCrds();
    assertThat(converted.comments())
        .contains(
            file()
                + ":1: vrrp_script: kubelvs tracks no interfaces, scripts, files or processes:"
                + " nothing lowers a director's priority but its own failure");
    assertThat(converted.commentsAbove("DirectorPool", "vi-1"))
        .containsExactly(
            file()
                + ":7: notify_master: kubelvs runs no scripts; watch the resources' status and"
                + " Events instead",
            file()
                + ":8: track_script: kubelvs tracks no interfaces, scripts, files or processes:"
                + " nothing lowers a director's priority but its own failure");
  }

  @Test
  void realServersCheckedOtherwiseThanTheFirstGetANote() throws Exception {
    Converted converted =
        Converted.text(
            dir,
            """
            virtual_server 198.18.0.50 80 {
                real_server 198.18.0.101 80 {
                    TCP_CHECK {
                        connect_timeout 1
                    }
                }
                real_server 198.18.0.102 80 {
                    TCP_CHECK {
                        connect_timeout 2
                    }
                }
                real_server 198.18.0.103 80 {
                }
            }
            """);

    converted.assertAcceptedByTheCrds();
    assertThat(converted.one("VirtualService").at("/spec/healthCheck/connectTimeout").asText())
        .isEqualTo("1s");
    assertThat(converted.commentsAbove("VirtualService", "director-1-198-18-0-50-80"))
        .containsExactly(
            file()
                + ":1: virtual_server: 198.18.0.50 is no vrrp_instance's VIP, but the pool's"
                + " directors will hold it by VRRP",
            file()
                + ":8: TCP_CHECK: real_server 198.18.0.102 80 is checked otherwise than the first"
                + " checked one: the VirtualService checks all its real servers alike, as the"
                + " first",
            file()
                + ":12: real_server: 198.18.0.103 80 has no checker, but the VirtualService"
                + " checks all its real servers");
  }

  @Test
  void instancesThatDifferFromTheFirstGetANoteAndTheFirstsSettings() throws Exception {
    Converted converted =
        Converted.text(
            dir,
            """
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                virtual_ipaddress {
                    198.18.0.50/24
                    198.18.0.60
                }
            }
            vrrp_instance VI_2 {
                interface eth0
                virtual_router_id 52
                advert_int 2
                virtual_ipaddress {
                    198.18.0.51
                }
            }
            """
                + VS);

    converted.assertAcceptedByTheCrds();
    assertThat(converted.one("DirectorPool").at("/spec/vrrp/advertInterval").asText())
        .isEqualTo("1s");
    assertThat(converted.commentsAbove("DirectorPool", "vi-1"))
        .contains(
            file()
                + ":12: advert_int: vrrp_instance VI_2 differs from VI_1 at "
                + file()
                + ":1: a pool has one setting for all its instances, VI_1's",
            file() + ":5: virtual_ipaddress: 198.18.0.50/24: a VIP is added alone (/32) in kubelvs",
            file()
                + ":6: virtual_ipaddress: 198.18.0.60 has no virtual_server: kubelvs holds a VIP"
                + " for a VirtualService only, not converted",
            file()
                + ":14: virtual_ipaddress: 198.18.0.51 has no virtual_server: kubelvs holds a VIP"
                + " for a VirtualService only, not converted");
  }

  @Test
  void aTypoIsRefusedAtItsLineNotCommented() {
    Path conf =
        Converted.write(
            dir,
            """
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                prority 100
                virtual_ipaddress {
                    198.18.0.50
                }
            }
            """);

    assertThatThrownBy(() -> Converted.file(conf, Optional.empty()))
        .isInstanceOfSatisfying(
            KeepalivedConfException.class,
            e ->
                assertThat(e.problems())
                    .extracting(ConfProblem::toString)
                    .containsExactly(conf + ":4: unknown keyword 'prority'"));
  }
}
