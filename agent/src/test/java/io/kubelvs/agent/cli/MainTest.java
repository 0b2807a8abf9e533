package io.kubelvs.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kubelvs-agent check}: a keepalived.conf accepted or refused as the agent would. */
class MainTest {
  private static final Path SAMPLE = Path.of("..", "samples", "keepalived", "keepalived.conf");

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void theSeedsFileIsAcceptedAndSummed() {
    int status = run("check", "--config", SAMPLE.toString());

    assertThat(status).isEqualTo(Main.OK);
    assertThat(out())
        .isEqualTo(
            SAMPLE
                + ": accepted: 1 VRRP instance on eno16777736, 1 virtual server with 2 real"
                + " servers, router_id LVS_DEVEL\n");
  }

  @Test
  void aBrokenFileIsRefusedWithEveryProblemAtItsLine() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("keepalived.conf"),
            """
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 300
                virtual_ipaddress {
                    198.18.0.50
                }
            }
            virtual_server 198.18.0.50 80 {
                lb_kind DR
                real_server 198.18.0.101 80 {
                    HTTP_GET {
                        url {
                            path /
                            status_code 200
                        }
                        conect_timeout 1
                    }
                }
            }
            """);

    int status = run("check", "--config", file.toString());

    assertThat(status).isEqualTo(Main.REFUSED);
    assertThat(err())
        .isEqualTo(
            file
                + ":3: virtual_router_id: expected an integer 1-255, got \"300\"\n"
                + file
                + ":16: unknown keyword 'conect_timeout'\n"
                + file
                + ": refused, 2 problem(s)\n");
    assertThat(out()).isEmpty();
  }

  @Test
  void runRefusesABrokenFileBeforeTouchingAnything() throws Exception {
    Path file = Files.writeString(dir.resolve("keepalived.conf"), "vrrp_instanse VI_1 {\n}\n");
    Path state = dir.resolve("state");

    int status = run("run", "--config", file.toString(), "--state-dir", state.toString());

    assertThat(status).isEqualTo(Main.REFUSED);
    assertThat(err()).startsWith(file + ":1: unknown keyword 'vrrp_instanse'\n");
    assertThat(state).doesNotExist();
  }

  @Test
  void runStartsFromTheLastAppliedConfigurationOnlyWhenItsFileIsGone() throws Exception {
    Path state = Files.createDirectories(dir.resolve("state"));
    Path lastApplied = Files.writeString(state.resolve("last-applied.conf"), "global_defs {\n}\n");
    Path missing = dir.resolve("gone.conf");
    Path present = Files.writeString(dir.resolve("here.conf"), "vrrp_instanse VI_1 {\n}\n");

    assertThat(Main.startingConfig(missing, state, new PrintStream(err, true)))
        .isEqualTo(lastApplied);
    assertThat(err())
        .contains(missing + " is missing; starting from the last applied configuration");
    // A file that is there is read, even a broken one: refusing it is the operator's signal.
    assertThat(Main.startingConfig(present, state, System.err)).isEqualTo(present);
    // Without a recorded configuration, a missing file stays missing (and is refused as such).
    assertThat(Main.startingConfig(missing, dir.resolve("empty"), System.err)).isEqualTo(missing);
  }

  @Test
  void wrongUsageSaysHowAndExitsTwo() {
    assertThat(run()).isEqualTo(Main.USAGE);
    assertThat(run("start")).isEqualTo(Main.USAGE);
    assertThat(run("check")).isEqualTo(Main.USAGE);
    assertThat(run("check", "--config")).isEqualTo(Main.USAGE);
    assertThat(run("check", "--config", "x", "--state-dir", "y")).isEqualTo(Main.USAGE);
    assertThat(err()).contains("usage: kubelvs-agent check --config FILE");
  }

  @Test
  void aBadHttpAddressIsWrongUsageBeforeTheFileIsRead() {
    int status = run("run", "--config", "/nonexistent.conf", "--http", "localhost:9650");

    assertThat(status).isEqualTo(Main.USAGE);
    assertThat(err())
        .startsWith("--http: \"localhost:9650\" is not ADDRESS:PORT")
        .contains("[--http ADDRESS:PORT|off]");
  }

  @Test
  void httpIsAnOptionOfRunOnly() {
    assertThat(run("check", "--config", SAMPLE.toString(), "--http", "off")).isEqualTo(Main.USAGE);
    assertThat(err()).startsWith("--http is an option of run\n");
  }

  @Test
  void convertPrintsTheSeedsResourcesAndItsNotesOnStderr() {
    int status = run("convert", "--namespace", "web", "--pool", "seed", SAMPLE.toString());

    assertThat(status).isEqualTo(Main.OK);
    assertThat(out())
        .startsWith("# Converted from " + SAMPLE + " by kubelvs-agent convert.\n")
        .contains("kind: \"Secret\"", "kind: \"DirectorPool\"", "kind: \"VirtualService\"")
        .contains("  name: \"seed-172-16-53-50-80\"\n  namespace: \"web\"\n");
    assertThat(err())
        .isEqualTo(
            "note: "
                + SAMPLE
                + ":17: state: MASTER (vrrp_instance VI_1) has"
                + " no field: the operator elects by priority, giving each VIP's preferred node"
                + " priorities.highest and the others step less each\n");
  }

  @Test
  void convertRefusesABrokenFileWithItsLineAndPrintsNothing() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("keepalived.conf"),
            """
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                virtual_ipaddress {
                    198.18.0.50
            }
            """);

    int status = run("convert", file.toString());

    assertThat(status).isEqualTo(Main.REFUSED);
    assertThat(err()).startsWith(file + ":1: ").endsWith(file + ": refused, 1 problem(s)\n");
    assertThat(out()).isEmpty();
  }

  @Test
  void convertWrongUsageSaysHowAndExitsTwo() {
    assertThat(run()).isEqualTo(Main.USAGE);
    assertThat(err()).contains("       kubelvs-agent convert [--namespace NS]");
    assertThat(run("convert")).isEqualTo(Main.USAGE);
    assertThat(run("convert", "a.conf", "b.conf")).isEqualTo(Main.USAGE);
    assertThat(run("convert", "--pool", "LVS_DEVEL", SAMPLE.toString())).isEqualTo(Main.USAGE);
    assertThat(run("convert", "--namespace")).isEqualTo(Main.USAGE);
    assertThat(err())
        .contains(
            "usage: kubelvs-agent convert [--namespace NS] [--pool NAME] [--config-id ID] FILE");
    assertThat(out()).isEmpty();
  }

  private int run(String... args) {
    return Main.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
