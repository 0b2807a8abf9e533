package io.kubelvs.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** keepalived's splitting of a notify script line into a program and its arguments. */
class NotifyScriptTest {

  @Test
  void blanksSeparateWords() {
    assertThat(NotifyScript.parse("  /usr/local/bin/notify.sh \t master  now ").command())
        .containsExactly("/usr/local/bin/notify.sh", "master", "now");
  }

  @Test
  void singleAndDoubleQuotesKeepBlanksAndJoinTheWordsParts() {
    assertThat(NotifyScript.parse("/bin/x 'two words' \"it's\" a\"b c\"d").command())
        .containsExactly("/bin/x", "two words", "it's", "ab cd");
  }

  @Test
  void backslashEscapesWorkInsideAndOutsideQuotes() {
    assertThat(NotifyScript.parse("/bin/x a\\ b '\\'' \\x41\\101\\t\\cA").command())
        .containsExactly("/bin/x", "a b", "'", "AA\t\u0001");
  }

  @Test
  void anUnterminatedQuoteIsRefused() {
    assertThatThrownBy(() -> NotifyScript.parse("/bin/x 'open"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("missing terminating ' in: /bin/x 'open");
  }

  @Test
  void aTrailingBackslashIsRefused() {
    assertThatThrownBy(() -> NotifyScript.parse("/bin/x \\"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a backslash at the end escapes nothing");
  }

  @Test
  void nothingToRunIsRefused() {
    assertThatThrownBy(() -> NotifyScript.parse("   "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a notify script needs a program to run");
  }

  @Test
  void extraArgumentsComeAfterTheConfiguredOnes() {
    assertThat(NotifyScript.parse("/bin/n keep").commandWith(List.of("INSTANCE", "VI_1")))
        .containsExactly("/bin/n", "keep", "INSTANCE", "VI_1");
  }
}
