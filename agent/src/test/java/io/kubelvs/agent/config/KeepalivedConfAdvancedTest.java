package io.kubelvs.agent.config;

import static io.kubelvs.agent.config.ConfFiles.problemsOf;
import static io.kubelvs.agent.config.ConfFiles.shape;
import static io.kubelvs.agent.config.ConfFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keepalived.conf(5)'s "advanced configuration": conditional lines are read, the template features
 * (parameters, ~SEQ, ~LST) are refused by name instead of being misread.
 */
class KeepalivedConfAdvancedTest {
  private static final String TWO_DIRECTORS =
      """
      vrrp_instance VI_1 {
          @main   state MASTER
          @backup state BACKUP
          @main   priority 100
          @^main  priority 98
      }
      """;

  @TempDir Path dir;

  private Path conf(String text) {
    return write(dir, "keepalived.conf", text);
  }

  @Test
  void conditionalLinesKeepOnlyWhatIsMeantForTheConfigId() throws KeepalivedConfException {
    Path file = conf(TWO_DIRECTORS);

    assertThat(shape(KeepalivedConf.parse(file, "main").root()))
        .isEqualTo("vrrp_instance VI_1 {state MASTER;priority 100;};");
    assertThat(shape(KeepalivedConf.parse(file, "backup").root()))
        .isEqualTo("vrrp_instance VI_1 {state BACKUP;priority 98;};");
  }

  @Test
  void conditionalIncludeIsReadOnlyForItsConfigId() throws KeepalivedConfException {
    write(dir, "main-vrrp.conf", "router_id main\n");
    write(dir, "backup-vrrp.conf", "router_id backup\n");
    Path file = conf("@main include {main,nobody}-vrrp.conf\n@backup include backup-vrrp.conf\n");

    assertThat(shape(KeepalivedConf.parse(file, "main").root())).isEqualTo("router_id main;");
    assertThat(shape(KeepalivedConf.parse(file, "backup").root())).isEqualTo("router_id backup;");
  }

  @Test
  void conditionalLineWithoutAConfigIdIsAProblem() {
    Path file = conf("@main router_id a\n");

    assertThat(problemsOf(file))
        .containsExactly(
            file
                + ":1: conditional line @main router_id a needs a config id (keepalived's"
                + " --config-id), none was given");
  }

  @Test
  void conditionalWithNothingAfterItIsAProblem() {
    Path file = conf("@main\n@ router_id a\n");

    assertThat(problemsOf(file))
        .containsExactly(
            file + ":1: conditional line @main has nothing after the config id",
            file + ":2: '@' must be followed by a config id, as in @main");
  }

  @Test
  void parameterDefinitionIsRefusedOnceEvenWhenItSpansLines() {
    Path file =
        conf(
            """
            $PRIORITY=240
            $INSTANCE= \\
              vrrp_instance VI_1 { \\
                priority 100 \\
              }
            global_defs {
            }
            """);

    assertThat(problemsOf(file))
        .containsExactly(
            file + ":1: parameter definitions ($NAME=value) are not supported: $PRIORITY=240",
            file + ":2: parameter definitions ($NAME=value) are not supported: $INSTANCE=");
  }

  @Test
  void parameterSubstitutionAndPredefinedParametersAreRefused() {
    Path file =
        conf(
            """
            priority ${PRIORITY}
            misc_path "${_PWD}/check.sh"
            router_id $_INSTANCE
            notify "/bin/echo ${HOME} $PATH"
            """);

    assertThat(problemsOf(file))
        .containsExactly(
            file + ":1: parameter substitution ${PRIORITY} is not supported",
            file + ":2: keepalived's predefined parameter $_PWD is not supported",
            file + ":3: keepalived's predefined parameter $_INSTANCE is not supported");
  }

  @Test
  void sequenceAndListBlocksAreRefused() {
    Path file = conf("~SEQ(SUBNET, 0, 3) ip_address 10.0.1.1\n~LST(IP, 1, 2) 10.0.0.1\n");

    assertThat(problemsOf(file))
        .containsExactly(
            file
                + ":1: ~SEQ and ~LST blocks are not supported: ~SEQ(SUBNET, 0, 3) ip_address"
                + " 10.0.1.1",
            file + ":2: ~SEQ and ~LST blocks are not supported: ~LST(IP, 1, 2) 10.0.0.1");
  }

  @Test
  void lineEndingInBackslashIsNotAContinuation() {
    Path file = conf("lvs_sync_daemon eth0 \\\n    id 1\n");

    assertThat(problemsOf(file))
        .containsExactly(
            file
                + ":1: line ends with '\\', but keepalived.conf continues lines only in parameter"
                + " definitions, which are not supported");
  }
}
