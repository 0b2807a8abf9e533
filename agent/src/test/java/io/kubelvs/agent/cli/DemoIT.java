package io.kubelvs.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.testing.HackScript;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command end to end: {@code hack/demo.sh} runs the seed's keepalived.conf on two
 * agents (the built kubelvs-agent.jar) in a network-namespace lab with real IPVS (in hack/vm's VM
 * where this kernel has none), and checks each step itself, exiting non-zero at the first that
 * misbehaves. This test runs it unattended and reads what it kept: its step lines, the mail its
 * SMTP sink received, and the agents' metrics.
 */
class DemoIT {
  private static final int TIMEOUT_SECONDS = 1200;

  @Test
  void theSeedScenarioBehavesAsTheDemoShowsIt(@TempDir Path kept) throws Exception {
    Path logs = kept.resolve("logs");
    HackScript.Run run = HackScript.run("demo.sh", logs, TIMEOUT_SECONDS);
    String shown = run.output();

    assertThat(run.exitCode()).as("hack/demo.sh's exit status; it printed:\n%s", shown).isZero();
    assertThat(shown)
        .as("each step's check")
        .contains(
            "ok d1 holds the VIP",
            "ok through d1: the requests alternate between web1 and web2 (rr)",
            "ok web1 down: every request answered by web2",
            "ok both web servers down: every request answered by sorry",
            "ok recovered: the requests alternate between web1 and web2 (rr)",
            "ok through d2: the requests alternate between web1 and web2 (rr)",
            "ok through d1 again: the requests alternate between web1 and web2 (rr)",
            "ok VRRP transitions and real-server changes were mailed",
            "ok the metrics agree: d1 MASTER, d2 BACKUP, web1 and web2 up, no sorry server,"
                + " d1's IPVS counted the requests",
            "demo done: every step behaved as shown")
        .doesNotContain("FAILED");
    assertThat(seconds(shown, "ok web1 removed ([0-9.]+) s after it went down"))
        .as("removal within delay_loop 3 + 4 tries x (connect_timeout 1 + delay_before_retry 1)")
        .isLessThanOrEqualTo(11.0 + 3.0);
    assertThat(seconds(shown, "ok d2 holds the VIP ([0-9.]+) s after d1 failed"))
        .as("failover within Master_Down_Interval 3.6 s (+ the lab's polling under emulation)")
        .isLessThanOrEqualTo(3.61 + 2.0);

    List<String> subjects = mailSubjects(logs.resolve("mail"));
    assertThat(subjects)
        .as("mail the SMTP sink received")
        .contains(
            "[LVS_DEVEL] Realserver [198.18.53.101]:tcp:80 of virtual server [198.18.53.50]:tcp:80"
                + " - DOWN",
            "[LVS_DEVEL] Realserver [198.18.53.102]:tcp:80 of virtual server [198.18.53.50]:tcp:80"
                + " - DOWN",
            "[LVS_DEVEL] Realserver [198.18.53.101]:tcp:80 of virtual server [198.18.53.50]:tcp:80"
                + " - UP");
    // d1 at the start, d2 at the failover, d1 again after its restart
    assertThat(subjects.stream().filter(s -> s.endsWith("VI_1 - Entering MASTER state")).count())
        .as("MASTER mails in %s", subjects)
        .isGreaterThanOrEqualTo(3);
  }

  private static double seconds(String shown, String regex) {
    Matcher m = Pattern.compile(regex).matcher(shown);
    assertThat(m.find()).as("a line matching %s in:\n%s", regex, shown).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static List<String> mailSubjects(Path mailDir) throws IOException {
    assertThat(mailDir).as("the demo's kept mail").isDirectory();
    List<String> subjects = new ArrayList<>();
    try (Stream<Path> files = Files.list(mailDir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".eml")).sorted().toList()) {
        Files.readAllLines(file, StandardCharsets.UTF_8).stream()
            .filter(line -> line.regionMatches(true, 0, "Subject: ", 0, 9))
            .findFirst()
            .ifPresent(line -> subjects.add(line.substring(9).strip()));
      }
    }
    return subjects;
  }
}
