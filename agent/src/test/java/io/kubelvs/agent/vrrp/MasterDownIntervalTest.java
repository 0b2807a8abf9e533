package io.kubelvs.agent.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The RFC timer formulas, with the numbers worked out by hand. */
class MasterDownIntervalTest {

  @Test
  void skewTimeFollowsRfc5798ForVersion3() {
    // ((256 - 100) * 1 s) / 256 = 156/256 s
    assertThat(MasterDownInterval.skewTime(3, 100, Duration.ofSeconds(1)))
        .isEqualTo(Duration.ofNanos(609_375_000));
    // scales with the interval: 156/256 * 100 ms
    assertThat(MasterDownInterval.skewTime(3, 100, Duration.ofMillis(100)))
        .isEqualTo(Duration.ofNanos(60_937_500));
    assertThat(MasterDownInterval.skewTimeV3(254, Duration.ofMillis(50)))
        .isEqualTo(Duration.ofNanos(390_625));
  }

  @Test
  void v2SkewIsWholeSecondBased() {
    // (256 - 100) / 256 s, whatever the advert interval
    assertThat(MasterDownInterval.skewTime(2, 100, Duration.ofSeconds(1)))
        .isEqualTo(Duration.ofNanos(609_375_000));
    assertThat(MasterDownInterval.skewTime(2, 100, Duration.ofSeconds(5)))
        .isEqualTo(Duration.ofNanos(609_375_000));
  }

  @Test
  void masterDownIntervalIsThreeIntervalsPlusSkew() {
    assertThat(MasterDownInterval.of(3, 100, Duration.ofSeconds(1)))
        .isEqualTo(Duration.ofNanos(3_609_375_000L));
    assertThat(MasterDownInterval.of(3, 100, Duration.ofMillis(100)))
        .isEqualTo(Duration.ofNanos(360_937_500));
    assertThat(MasterDownInterval.of(2, 200, Duration.ofSeconds(2)))
        .isEqualTo(Duration.ofNanos(6_218_750_000L));
  }

  @Test
  void higherPriorityWaitsLess() {
    Duration interval = Duration.ofMillis(100);
    assertThat(MasterDownInterval.of(3, 200, interval))
        .isLessThan(MasterDownInterval.of(3, 100, interval));
    // the address owner: 1/256 of an interval
    assertThat(MasterDownInterval.skewTimeV3(255, interval)).isEqualTo(Duration.ofNanos(390_625));
  }

  @Test
  void outOfRangePriorityAndUnknownVersionAreRejected() {
    assertThatThrownBy(() -> MasterDownInterval.skewTimeV2(256))
        .hasMessageContaining("priority 256");
    assertThatThrownBy(() -> MasterDownInterval.of(4, 100, Duration.ofSeconds(1)))
        .hasMessageContaining("version 4");
  }

  @Test
  void durationsReadAsMillisecondSeconds() {
    assertThat(MasterDownInterval.seconds(Duration.ofNanos(3_609_375_000L))).isEqualTo("3.609s");
  }
}
