package io.kubelvs.agent.config;

import static io.kubelvs.agent.config.ConfFiles.problemsOf;
import static io.kubelvs.agent.config.ConfFiles.shape;
import static io.kubelvs.agent.config.ConfFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code include}: globs, relative paths, positions through files, and what goes wrong. */
class KeepalivedConfIncludeTest {
  @TempDir Path dir;

  @Test
  void seedSplitAcrossIncludesReadsAsTheSameTreeAsTheSingleFile() throws Exception {
    Path split = resource("/keepalived-conf/split/keepalived.conf");
    Path single = Path.of("..", "samples", "keepalived", "keepalived.conf");

    KeepalivedConf conf = KeepalivedConf.parse(split);

    assertThat(shape(conf.root())).isEqualTo(shape(KeepalivedConf.parse(single).root()));
    assertThat(conf.warnings()).isEmpty();
  }

  @Test
  void statementsFromIncludedFilesKeepTheirOwnFileAndLine() throws Exception {
    Path split = resource("/keepalived-conf/split/keepalived.conf");
    Path realServers = split.resolveSibling("conf.d").resolve("real-servers");

    ConfNode vs = KeepalivedConf.parse(split).statements("virtual_server").get(0);

    assertThat(vs.position())
        .isEqualTo(new ConfPosition(split.resolveSibling("conf.d/20-web.conf"), 1));
    assertThat(vs.children("real_server"))
        .extracting(ConfNode::position)
        .containsExactly(
            new ConfPosition(realServers.resolve("101.conf"), 1),
            new ConfPosition(realServers.resolve("102.conf"), 1));
    assertThat(vs.children("real_server").get(1).requireChild("HTTP_GET").position())
        .isEqualTo(new ConfPosition(realServers.resolve("102.conf"), 3));
  }

  @Test
  void globMatchesAreReadInSortedOrderSkippingHiddenFilesAndDirectories() throws Exception {
    write(dir, "conf.d/20-b.conf", "b 2\n");
    write(dir, "conf.d/10-a.conf", "a 1\n");
    write(dir, "conf.d/.30-hidden.conf", "hidden 3\n");
    write(dir, "conf.d/README", "not a conf\n");
    Files.createDirectories(dir.resolve("conf.d/40-dir.conf"));
    Path main = write(dir, "keepalived.conf", "first 0\ninclude conf.d/*.conf\nlast 9\n");

    assertThat(shape(KeepalivedConf.parse(main).root())).isEqualTo("first 0;a 1;b 2;last 9;");
  }

  @Test
  void braceAndBracketPatternsWork() throws Exception {
    write(dir, "vrrp.conf", "vrrp 1\n");
    write(dir, "lvs.conf", "lvs 1\n");
    write(dir, "bfd.conf", "bfd 1\n");
    write(dir, "x1.conf", "x 1\n");
    Path main = write(dir, "keepalived.conf", "include {vrrp,lvs}.conf\ninclude x[0-9].conf\n");

    assertThat(shape(KeepalivedConf.parse(main).root())).isEqualTo("lvs 1;vrrp 1;x 1;");
  }

  @Test
  void standaloneBracesAroundAnIncludeStillDelimitTheBlock() throws Exception {
    write(dir, "a.conf", "a 1\n");
    write(dir, "b.conf", "b 2\n");
    Path main = write(dir, "keepalived.conf", "block { include {a,b}.conf }\n");

    assertThat(shape(KeepalivedConf.parse(main).root())).isEqualTo("block {a 1;b 2;};");
  }

  @Test
  void relativeIncludeIsResolvedFromTheIncludingFilesDirectory() throws Exception {
    write(dir, "second.conf", "wrong 1\n");
    write(dir, "sub/second.conf", "right 1\n");
    write(dir, "sub/first.conf", "include second.conf\n");
    Path main = write(dir, "keepalived.conf", "include sub/first.conf\n");

    assertThat(shape(KeepalivedConf.parse(main).root())).isEqualTo("right 1;");
  }

  @Test
  void absoluteIncludeIsReadAsWritten() throws Exception {
    Path elsewhere = write(dir, "elsewhere/abs.conf", "abs 1\n");
    Path main = write(dir, "main/keepalived.conf", "include " + elsewhere.toAbsolutePath() + "\n");

    assertThat(shape(KeepalivedConf.parse(main).root())).isEqualTo("abs 1;");
  }

  @Test
  void includeInsideABlockAddsToThatBlock() throws Exception {
    write(dir, "rs/1.conf", "real_server 10.0.1.1 80 {\n  weight 1\n}\n");
    Path main =
        write(dir, "keepalived.conf", "virtual_server 10.0.0.1 80 {\n  include rs/*.conf\n}\n");

    assertThat(shape(KeepalivedConf.parse(main).root()))
        .isEqualTo("virtual_server 10.0.0.1 80 {real_server 10.0.1.1 80 {weight 1;};};");
  }

  @Test
  void missingFileNamedWithoutWildcardsIsAProblemAtTheIncludeLine() {
    Path main = write(dir, "keepalived.conf", "global_defs {\n}\ninclude nope.conf\n");

    assertThat(problemsOf(main))
        .containsExactly(
            main + ":3: include \"nope.conf\": " + dir.resolve("nope.conf") + ": no such file");
  }

  @Test
  void patternMatchingNothingIsAWarningLikeKeepalivedsLogLine() throws Exception {
    Path extra = write(dir, "extra.conf", "a 1\nb 2\ninclude \"nope/*.conf\"\n");
    Path main = write(dir, "keepalived.conf", "include extra.conf\n");

    KeepalivedConf conf = KeepalivedConf.parse(main);

    assertThat(conf.warnings())
        .extracting(ConfProblem::toString)
        .containsExactly(extra + ":3: include \"nope/*.conf\" matches no file");
  }

  @Test
  void strictIncludeVariantsRefuseAPatternMatchingNothing() {
    Path main = write(dir, "keepalived.conf", "includea conf.d/*.conf\nincludem x*.conf\n");

    assertThat(problemsOf(main))
        .containsExactly(
            main + ":1: includea \"conf.d/*.conf\" matches no file",
            main + ":2: includem \"x*.conf\" matches no file");
  }

  @Test
  void includeCycleIsReportedAtTheLineThatClosesIt() {
    Path a = dir.resolve("a.conf");
    Path b = write(dir, "b.conf", "b 1\ninclude a.conf\n");
    write(dir, "a.conf", "include b.conf\n");

    assertThat(problemsOf(a))
        .containsExactly(
            b + ":2: include \"a.conf\": include cycle: " + a + " -> " + b + " -> " + a);
  }

  @Test
  void fileIncludingItselfIsACycle() {
    Path main = write(dir, "keepalived.conf", "include *.conf\n");

    assertThat(problemsOf(main))
        .containsExactly(main + ":1: include \"*.conf\": include cycle: " + main + " -> " + main);
  }

  @Test
  void includesNestedTooDeepAreRefused() {
    int files = KeepalivedConfParser.MAX_INCLUDE_DEPTH + 2;
    for (int i = 0; i < files; i++) {
      write(dir, i + ".conf", "include " + (i + 1) + ".conf\n");
    }
    write(dir, files + ".conf", "leaf 1\n");

    assertThat(problemsOf(dir.resolve("0.conf")))
        .singleElement()
        .asString()
        .startsWith(
            dir.resolve("16.conf") + ":1: include \"17.conf\": includes nested more than 16")
        .endsWith(" -> " + dir.resolve("17.conf"));
  }

  @Test
  void sameFileIncludedTwiceWithoutACycleIsRead() throws Exception {
    write(dir, "common.conf", "common 1\n");
    Path main =
        write(dir, "keepalived.conf", "include common.conf\nblock {\n include common.conf\n}\n");

    assertThat(shape(KeepalivedConf.parse(main).root())).isEqualTo("common 1;block {common 1;};");
  }

  @Test
  void executableFileIsRefusedAsKeepalivedSkipsIt() throws IOException {
    Path script = write(dir, "conf.d/run.conf", "a 1\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path main = write(dir, "keepalived.conf", "include conf.d/*.conf\n");

    assertThat(problemsOf(main))
        .containsExactly(
            main
                + ":1: include \"conf.d/*.conf\": "
                + script
                + ": is executable, and keepalived does not read executable files");
  }

  @Test
  void directoryNamedWithoutWildcardsIsAProblem() throws IOException {
    Files.createDirectories(dir.resolve("conf.d"));
    Path main = write(dir, "keepalived.conf", "include conf.d\n");

    assertThat(problemsOf(main))
        .containsExactly(
            main
                + ":1: include \"conf.d\": "
                + dir.resolve("conf.d")
                + ": is a directory, not a file");
  }

  @Test
  void blockMustBeClosedInTheFileThatOpensIt() {
    Path opens = write(dir, "opens.conf", "virtual_server 10.0.0.1 80 {\n");
    Path main = write(dir, "keepalived.conf", "include opens.conf\n}\n");

    assertThat(problemsOf(main))
        .containsExactly(
            opens + ":1: block 'virtual_server' is not closed (opened here)",
            main + ":2: unbalanced '}'");
  }

  @Test
  void problemsInIncludedFilesNameThatFileAndLine() {
    Path extra = write(dir, "extra.conf", "a 1\n}\n");
    Path main = write(dir, "keepalived.conf", "global_defs {\n  include extra.conf\n}\n}\n");

    assertThat(problemsOf(main))
        .containsExactly(extra + ":2: unbalanced '}'", main + ":4: unbalanced '}'");
  }

  @Test
  void includeTakesExactlyOneName() {
    Path main = write(dir, "keepalived.conf", "include a.conf b.conf\ninclude\n");

    assertThat(problemsOf(main))
        .containsExactly(
            main + ":1: include takes one file name or pattern, got 2",
            main + ":2: include takes one file name or pattern, got 0");
  }

  @Test
  void missingMainFileIsAProblemNamingIt() {
    Path main = dir.resolve("keepalived.conf");

    assertThat(problemsOf(main)).containsExactly(main + ": no such file");
  }

  @Test
  void fileThatIsNotUtf8IsAProblem() throws IOException {
    Path main = dir.resolve("keepalived.conf");
    Files.write(main, new byte[] {'a', ' ', (byte) 0xff, '\n'});

    assertThat(problemsOf(main))
        .containsExactly(main + ": cannot read " + main + ": not UTF-8 text");
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(KeepalivedConfIncludeTest.class.getResource(name).toURI());
  }
}
