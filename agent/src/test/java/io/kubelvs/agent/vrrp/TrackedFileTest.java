package io.kubelvs.agent.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keepalived's vrrp_track_file: how the file is read, and what its value does to an instance. */
class TrackedFileTest {

  @TempDir Path dir;

  private static TrackedFile file(int weight) {
    return new TrackedFile("tf", Path.of("/run/tf"), weight, OptionalInt.empty(), false);
  }

  @Test
  void theNumberIsReadAsCsStrtolWithBaseZero() {
    assertThat(TrackedFile.strtol("42\n")).isEqualTo(42);
    assertThat(TrackedFile.strtol("  -17 apples")).isEqualTo(-17);
    assertThat(TrackedFile.strtol("+5")).isEqualTo(5);
    assertThat(TrackedFile.strtol("0x1f")).isEqualTo(31);
    assertThat(TrackedFile.strtol("010")).as("a leading 0 is octal").isEqualTo(8);
    assertThat(TrackedFile.strtol("09")).as("octal stops at 9").isEqualTo(0);
    assertThat(TrackedFile.strtol("ok")).isEqualTo(0);
    assertThat(TrackedFile.strtol("")).isEqualTo(0);
  }

  @Test
  void aMissingFileReadsAsZeroAndLargeValuesAreClampedTo254() throws Exception {
    assertThat(TrackedFile.read(dir.resolve("missing"))).isEqualTo(0);
    assertThat(TrackedFile.read(Files.writeString(dir.resolve("big"), "100000"))).isEqualTo(254);
    assertThat(TrackedFile.read(Files.writeString(dir.resolve("small"), "-999"))).isEqualTo(-254);
  }

  @Test
  void withWeightZeroAnyValueButZeroIsAFault() {
    assertThat(file(0).status(0)).isEqualTo(0);
    assertThat(file(0).status(3)).isEqualTo(-254);
    assertThat(file(0).status(-1)).isEqualTo(-254);
  }

  @Test
  void otherwiseValueTimesWeightClampedToMinus254To253AndMinus254IsAFault() {
    assertThat(file(-1).status(30)).isEqualTo(-30);
    assertThat(file(2).status(10)).isEqualTo(20);
    assertThat(file(10).status(100)).isEqualTo(253);
    assertThat(file(-10).status(100)).isEqualTo(-254);
  }

  @Test
  void aRelativePathIsRefused() {
    assertThatThrownBy(() -> new TrackedFile("tf", Path.of("prio"), 1, OptionalInt.empty(), false))
        .hasMessage("track file tf: prio is not absolute");
  }
}
