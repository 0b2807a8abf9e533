package io.kubelvs.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.testing.HackScript;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart safety end to end ({@code hack/e2e-restart.sh}): under client load through the VIP, the
 * master's agent killed with SIGKILL and started again never lets an IPVS rule go from its kernel
 * and gets the VIP back; stopped normally, it hands the VIP over without one failed request.
 */
class RestartUnderLoadIT {
  @Test
  void aCrashKeepsTheRulesAndAPlannedStopLosesNoRequest(@TempDir Path kept) throws Exception {
    HackScript.Run run = HackScript.run("e2e-restart.sh", kept.resolve("logs"), 1200);

    assertThat(run.exitCode()).as("its exit status; it printed:\n%s", run.output()).isZero();
    Matcher result =
        Pattern.compile(
                "RESULT crash_requests=(\\d+) crash_failed=(\\d+) ipvs_polls=(\\d+)"
                    + " ipvs_polls_short=(\\d+) stop_requests=(\\d+) stop_failed=(\\d+)")
            .matcher(run.output());
    assertThat(result.find()).as("its RESULT line in:\n%s", run.output()).isTrue();
    assertThat(Integer.parseInt(result.group(3))).as("polls of d1's IPVS table").isPositive();
    assertThat(Integer.parseInt(result.group(4))).as("polls missing a rule").isZero();
    assertThat(Integer.parseInt(result.group(5))).as("requests through the stop").isPositive();
    assertThat(Integer.parseInt(result.group(6))).as("requests failed by the stop").isZero();
  }
}
