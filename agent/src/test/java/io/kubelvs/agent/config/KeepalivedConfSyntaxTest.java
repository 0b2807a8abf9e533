package io.kubelvs.agent.config;

import static io.kubelvs.agent.config.ConfFiles.problemsOf;
import static io.kubelvs.agent.config.ConfFiles.shape;
import static io.kubelvs.agent.config.ConfFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keepalived.conf's lexical rules: comments, quotes, braces, blocks, and their mistakes. */
class KeepalivedConfSyntaxTest {
  @TempDir Path dir;

  private Path conf(String text) {
    return write(dir, "keepalived.conf", text);
  }

  private ConfNode parse(String text) throws KeepalivedConfException {
    return KeepalivedConf.parse(conf(text)).root();
  }

  @Test
  void hashAndBangStartCommentsAnywhereOutsideQuotes() throws KeepalivedConfException {
    ConfNode root =
        parse(
            """
            ! a whole-line comment
            # another one
            global_defs {   # after a brace
              router_id main ! after a word
              smtp_server 10.0.0.1#glued to the word
            }
            """);

    assertThat(shape(root)).isEqualTo("global_defs {router_id main;smtp_server 10.0.0.1;};");
  }

  @Test
  void commentCharactersAreKeptInsideQuotesAndWhenEscaped() throws KeepalivedConfException {
    ConfNode root =
        parse(
            """
            auth_pass "a#b!c"
            other_pass a\\#b\\!c
            """);

    assertThat(root.children())
        .extracting(ConfNode::args)
        .containsExactly(List.of("a#b!c"), List.of("a#b!c"));
  }

  @Test
  void quotedStringIsOneWordKeepingSpacesAndBraces() throws KeepalivedConfException {
    ConfNode root =
        parse(
            """
            notification_email {
              admin@example1.com "My admin <admin@example2.com>"
            }
            notify_master "/usr/bin/notify.sh {master} now" root
            empty ""
            """);

    assertThat(root.children().get(0).children().get(0).words())
        .containsExactly("admin@example1.com", "My admin <admin@example2.com>");
    assertThat(root.children().get(1).args())
        .containsExactly("/usr/bin/notify.sh {master} now", "root");
    assertThat(root.children().get(2).args()).containsExactly("");
  }

  @Test
  void singleQuotesAreOrdinaryCharactersAsInKeepalivedsWordSplitting()
      throws KeepalivedConfException {
    ConfNode root = parse("script '/bin/check a'\n");

    assertThat(root.children().get(0).args()).containsExactly("'/bin/check", "a'");
  }

  @Test
  void openingBraceMayStandAloneOnTheNextLine() throws KeepalivedConfException {
    ConfNode root =
        parse(
            """
            vrrp_instance VI_1
            {
                authentication

                # blank lines and comments may come between
                {
                    auth_type PASS
                }
            }
            """);

    assertThat(shape(root)).isEqualTo("vrrp_instance VI_1 {authentication {auth_type PASS;};};");
  }

  @Test
  void bracesSplitALineIntoStatementsAsKeepalivedDoes() throws KeepalivedConfException {
    ConfNode root =
        parse(
            """
            virtual_server 10.0.0.1 80 { delay_loop 6
              real_server 10.0.1.1 80 { weight 1 } real_server 10.0.1.2 80 {
                weight 2 }
              virtual_ipaddress {} lb_algo rr
            }
            """);

    assertThat(shape(root))
        .isEqualTo(
            "virtual_server 10.0.0.1 80 {delay_loop 6;real_server 10.0.1.1 80 {weight 1;};"
                + "real_server 10.0.1.2 80 {weight 2;};virtual_ipaddress {};lb_algo rr;};");
    ConfNode vs = root.children().get(0);
    assertThat(vs.children()).extracting(n -> n.position().line()).containsExactly(1, 2, 2, 4, 4);
  }

  @Test
  void emptyBlockIsABlockAndAKeywordAloneIsNot() throws KeepalivedConfException {
    ConfNode root = parse("virtual_ipaddress {\n}\nsmtp_alert\n");

    assertThat(root.children()).extracting(ConfNode::block).containsExactly(true, false);
  }

  @Test
  void blocksNestToAnyDepth() throws KeepalivedConfException {
    int depth = 200;
    ConfNode node = parse("level {\n".repeat(depth) + "leaf 1\n" + "}\n".repeat(depth));

    for (int i = 0; i < depth; i++) {
      node = node.children().get(0);
      assertThat(node.keyword()).isEqualTo("level");
    }
    ConfNode leaf = node.children().get(0);
    assertThat(leaf.words()).containsExactly("leaf", "1");
    assertThat(leaf.position().line()).isEqualTo(depth + 1);
  }

  @Test
  void windowsLineEndsAndTabsAreBlanks() throws KeepalivedConfException {
    ConfNode root = parse("global_defs {\r\n\trouter_id\tmain\r\n}\r\n");

    assertThat(shape(root)).isEqualTo("global_defs {router_id main;};");
  }

  @Test
  void closingBraceWithoutBlockIsReportedOnItsLine() {
    Path file = conf("global_defs {\n  router_id a\n}\n}\nvrrp_instance VI_1 {\n}\n");

    assertThat(problemsOf(file)).containsExactly(file + ":4: unbalanced '}'");
  }

  @Test
  void unclosedBlocksAreReportedWhereTheyOpenedOutermostFirst() {
    Path file =
        conf(
            """
            global_defs {
            }
            virtual_server 10.0.0.1 80 {
              real_server 10.0.1.1 80 {
                weight 1
            """);

    assertThat(problemsOf(file))
        .containsExactly(
            file + ":3: block 'virtual_server' is not closed (opened here)",
            file + ":4: block 'real_server' is not closed (opened here)");
  }

  @Test
  void openingBraceWithNothingToOpenIsReportedOnceAndStillBalances() {
    Path file = conf("{\n  router_id a\n}\nglobal_defs {\n}\n{\n");

    assertThat(problemsOf(file))
        .containsExactly(
            file + ":1: '{' without a keyword before it",
            file + ":6: '{' without a keyword before it",
            file + ":6: '{' is not closed");
  }

  @Test
  void everyProblemInTheFileIsReportedNotOnlyTheFirst() {
    Path file =
        conf(
            """
            global_defs {
              router_id "main
            }
            }
            vrrp_instance VI_1 {
            """);

    assertThatThrownBy(() -> KeepalivedConf.parse(file))
        .isInstanceOf(KeepalivedConfException.class)
        .hasMessageStartingWith("3 problems in the keepalived configuration:")
        .hasMessageContaining(file + ":2: unterminated quote: \"main")
        .hasMessageContaining(file + ":4: unbalanced '}'")
        .hasMessageContaining(file + ":5: block 'vrrp_instance' is not closed (opened here)");
  }

  @Test
  void quoteGluedToAWordIsReportedBecauseKeepalivedWouldSplitIt() {
    Path file = conf("notify a\"b c\"\nnotify \"b c\"d\n");

    assertThat(problemsOf(file))
        .containsExactly(
            file
                + ":1: quote in the middle of a word: a\"b c\" (keepalived would read two words;"
                + " quote all of it)",
            file
                + ":2: text right after a closing quote: \"b c\"d (keepalived would read two"
                + " words; put a space or quote all of it)");
  }

  @Test
  void statementCannotStartWithAnEmptyString() {
    Path file = conf("\"\" 1\n");

    assertThat(problemsOf(file))
        .containsExactly(file + ":1: a statement cannot start with an empty string \"\"");
  }
}
