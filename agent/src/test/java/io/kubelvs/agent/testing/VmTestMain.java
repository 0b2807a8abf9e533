package io.kubelvs.agent.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.PrintWriter;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs the tests of one tag inside the VM (see {@link Vm}): one line per test, the failures with
 * their stack traces, and a closing "N passed, N failed" line. Exits 0 only if at least one test
 * ran and none failed, so an empty selection cannot pass.
 *
 * <p>Usage: {@code VmTestMain TAG [PACKAGE]}.
 */
public final class VmTestMain {
  private VmTestMain() {}

  public static void main(String[] args) {
    String tag = args[0];
    String pkg = args.length > 1 ? args[1] : "io.kubelvs.agent";
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(selectPackage(pkg))
            .filters(TagFilter.includeTags(tag))
            .build();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(request, summary, new LinePerTest());

    TestExecutionSummary result = summary.getSummary();
    PrintWriter out = new PrintWriter(System.out, true);
    result.printFailuresTo(out, 40);
    long passed = result.getTestsSucceededCount();
    long failed = result.getTestsFailedCount() + result.getTestsAbortedCount();
    out.printf("%s: %d passed, %d failed%n", tag, passed, failed);
    System.exit(failed == 0 && passed > 0 ? 0 : 1);
  }

  /** Prints each finished test, so a slow run shows progress in the CI log. */
  private static final class LinePerTest implements TestExecutionListener {
    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
      if (id.isTest()) {
        System.out.printf(
            "%-10s %s%n", result.getStatus(), id.getLegacyReportingName() + " " + parent(id));
      }
    }

    private static String parent(TestIdentifier id) {
      return id.getParentId()
          .map(p -> "(" + p.replaceAll(".*class:([^\\]]*).*", "$1") + ")")
          .orElse("");
    }
  }
}
