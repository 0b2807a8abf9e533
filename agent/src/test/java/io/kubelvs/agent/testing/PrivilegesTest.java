package io.kubelvs.agent.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class PrivilegesTest {

  @Test
  void rootRuns() {
    assertThatCode(() -> Privileges.requireRoot("add addresses", true, "true"))
        .doesNotThrowAnyException();
  }

  @Test
  void notRootOnALaptopSkipsWithTheReason() {
    assertThatThrownBy(() -> Privileges.requireRoot("add addresses", false, null))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("needs root to add addresses; skipped");
  }

  @Test
  void notRootInCiFails() {
    assertThatThrownBy(() -> Privileges.requireRoot("add addresses", false, "true"))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("CI=true: CI must run this test as root");
  }
}
