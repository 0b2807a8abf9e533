package io.kubelvs.agent.config;

import static io.kubelvs.agent.config.ConfFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queries the mapping uses: each refusal names the file, the line and the keyword. */
class ConfNodeTest {
  private static final Duration ONE_HOUR = Duration.ofHours(1);

  @TempDir Path dir;
  private Path file;
  private ConfNode root;
  private ConfNode instance;

  @BeforeEach
  void parse() throws KeepalivedConfException {
    file =
        write(
            dir,
            "keepalived.conf",
            """
            vrrp_instance VI_1 {
                state MASTER
                priority high
                virtual_router_id 300
                advert_int 0.05
                garp_master_delay fast
                preempt_delay 0.0000015
                unicast_peer 10.0.0.2 10.0.0.3
                nopreempt
                track_interface eth0
                track_interface eth1
                priorty 100
            }
            """);
    root = KeepalivedConf.parse(file).root();
    instance = root.children().get(0);
  }

  private String at(int line) {
    return file + ":" + line + ": ";
  }

  @Test
  void wordThatIsNotAnIntegerIsRefusedWithFileLineAndKeyword() {
    assertThatThrownBy(() -> instance.requireInt("priority", 1, 255))
        .isInstanceOf(KeepalivedConfException.class)
        .hasMessage(at(3) + "priority: expected an integer 1-255, got \"high\"");
  }

  @Test
  void integerOutsideItsRangeIsRefused() {
    assertThatThrownBy(() -> instance.requireInt("virtual_router_id", 1, 255))
        .hasMessage(at(4) + "virtual_router_id: expected an integer 1-255, got \"300\"");
  }

  @Test
  void timeIsSecondsPossiblyFractional() throws KeepalivedConfException {
    assertThat(instance.requireDuration("advert_int", Duration.ZERO, ONE_HOUR))
        .isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void timeIsKeptToTheMicrosecondAsKeepalivedDoes() throws KeepalivedConfException {
    assertThat(instance.requireDuration("preempt_delay", Duration.ZERO, ONE_HOUR))
        .isEqualTo(Duration.ofNanos(1_000));
  }

  @Test
  void timeThatIsNotANumberIsRefused() {
    assertThatThrownBy(() -> instance.requireDuration("garp_master_delay", Duration.ZERO, ONE_HOUR))
        .hasMessage(at(6) + "garp_master_delay: expected a time in seconds 0-3600, got \"fast\"");
  }

  @Test
  void timeOutsideItsRangeIsRefused() {
    assertThatThrownBy(
            () ->
                instance.requireDuration(
                    "advert_int", Duration.ofMillis(100), Duration.ofSeconds(255)))
        .hasMessage(at(5) + "advert_int: expected a time in seconds 0.1-255, got \"0.05\"");
  }

  @Test
  void missingRequiredKeywordIsReportedAtTheBlock() {
    assertThatThrownBy(() -> instance.requireString("interface"))
        .hasMessage(at(1) + "vrrp_instance VI_1: missing 'interface'");
    assertThatThrownBy(() -> root.requireChild("global_defs"))
        .hasMessage(file + ": missing 'global_defs'");
  }

  @Test
  void missingOptionalKeywordIsEmpty() throws KeepalivedConfException {
    assertThat(instance.optionalInt("weight", 0, 255)).isEmpty();
    assertThat(instance.optionalDuration("advert_int", Duration.ZERO, ONE_HOUR))
        .contains(Duration.ofMillis(50));
    assertThat(instance.optionalString("state")).contains("MASTER");
  }

  @Test
  void malformedOptionalKeywordIsStillRefused() {
    assertThatThrownBy(() -> instance.optionalInt("priority", 1, 255))
        .hasMessage(at(3) + "priority: expected an integer 1-255, got \"high\"");
  }

  @Test
  void singleValuedKeywordGivenTwiceIsRefusedAtTheSecond() {
    assertThatThrownBy(() -> instance.optionalString("track_interface"))
        .hasMessage(at(11) + "track_interface is given more than once (first at " + file + ":10)");
    assertThat(instance.children("track_interface")).hasSize(2);
  }

  @Test
  void keywordExpectingOneValueRefusesNoneOrSeveral() {
    assertThatThrownBy(() -> instance.requireString("unicast_peer"))
        .hasMessage(at(8) + "unicast_peer: expected one value, got 2: \"10.0.0.2\" \"10.0.0.3\"");
    assertThatThrownBy(() -> instance.requireString("nopreempt"))
        .hasMessage(at(9) + "nopreempt: expected one value, got none");
  }

  @Test
  void mappingReportsUnknownKeywordAtItsPosition() {
    ConfNode typo = instance.children("priorty").get(0);

    assertThat(typo.unknownKeyword())
        .hasToString(at(12) + "unknown keyword 'priorty'")
        .isEqualTo(new ConfProblem(new ConfPosition(file, 12), "unknown keyword 'priorty'"));
  }

  @Test
  void treeCannotBeChangedAfterParsing() {
    assertThatThrownBy(() -> instance.children().add(instance))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> instance.args().add("VI_2"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void wordsAreTheKeywordFollowedByTheArguments() {
    assertThat(instance.words()).isEqualTo(List.of("vrrp_instance", "VI_1"));
  }

  @Test
  void nodeWithoutBlockCannotHaveChildren() {
    ConfNode leaf = instance.children().get(0);

    assertThatThrownBy(
            () -> new ConfNode("state", List.of(), false, List.of(leaf), leaf.position()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
