package io.kubelvs.agent.check;

import io.kubelvs.agent.sys.MiscProcessGroup;
import io.kubelvs.agent.sys.SyscallException;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's MISC_CHECK (check_misc.c, lib/notify.c): runs the command and judges its exit code.
 *
 * <ul>
 *   <li>exit 0 is up; with misc_dynamic the real server goes back to its configured weight, which
 *       the result leaves to the caller (no weight in it);
 *   <li>with misc_dynamic, exit 2-255 is up with weight {@code code - 2} (0-253);
 *   <li>every other exit (1 always, 2-255 without misc_dynamic) is down;
 *   <li>a command still running after misc_timeout is down, "timed out after ...".
 * </ul>
 *
 * As keepalived, the command runs in a process group of its own, with stdin, stdout and stderr on
 * /dev/null and / as working directory; on timeout the whole group gets SIGTERM, and SIGKILL 2 s
 * later if the command is still alive, or as soon as it has exited (for what it left behind). The
 * result does not wait for that: it completes at the timeout. The command is started by {@code
 * setsid /bin/sh -c COMMAND} (setsid(1) of util-linux; the JVM's children never lead a group, so it
 * execs in place and the group's id is the process id).
 *
 * <p>Two differences from keepalived, both at the edges: keepalived splits misc_path into words and
 * execs them itself when the script is executable (via system(3), i.e. /bin/sh, otherwise), where
 * {@link MiscCheck} says /bin/sh -c, the same for plain paths and arguments. And Java reports a
 * command killed by signal N as exit 128+N, as a shell does; keepalived sees the signal and counts
 * it as down, while with misc_dynamic we see an exit code in 2-255.
 */
public final class MiscProber implements Prober {
  private static final Logger LOG = LoggerFactory.getLogger(MiscProber.class);

  /** How long keepalived waits after SIGTERM before SIGKILL (misc_check_child_thread). */
  static final Duration TERMINATION_GRACE = Duration.ofSeconds(2);

  private static final File DEV_NULL = new File("/dev/null");

  private final MiscCheck check;
  private final EventLoopGroup timers;
  private final ProcessBuilder builder;

  /**
   * @param timers where the command is started (a spawn takes a few milliseconds, no waiting) and
   *     where its timeout runs
   * @throws IllegalArgumentException when the command is blank or the timeout is not positive
   *     (keepalived's misc_timeout defaults to delay_loop; whoever builds the check fills it in)
   */
  public MiscProber(MiscCheck check, EventLoopGroup timers) {
    this.check = Objects.requireNonNull(check, "check");
    this.timers = Objects.requireNonNull(timers, "timers");
    if (check.command().isBlank()) {
      throw new IllegalArgumentException("MISC_CHECK has no command (misc_path)");
    }
    if (check.timeout().isNegative() || check.timeout().isZero()) {
      throw new IllegalArgumentException(
          "MISC_CHECK misc_timeout must be positive, not " + check.timeout());
    }
    this.builder =
        new ProcessBuilder(List.of("setsid", "/bin/sh", "-c", check.command()))
            .directory(new File("/"))
            .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
  }

  /** The command does not depend on the target: keepalived passes it nothing either. */
  @Override
  public CompletableFuture<ProbeResult> probe(ProbeTarget target) {
    CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    EventExecutor timer = timers.next();
    try {
      timer.execute(() -> run(timer, result));
    } catch (RejectedExecutionException e) {
      result.complete(ProbeResult.down("MISC_CHECK is shutting down"));
    }
    return result;
  }

  private void run(EventExecutor timer, CompletableFuture<ProbeResult> result) {
    Process process;
    try {
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      result.complete(
          ProbeResult.down("cannot run \"" + check.command() + "\": " + e.getMessage()));
      return;
    }
    Future<?> timeout =
        timer.schedule(
            () -> timedOut(timer, process, result),
            check.timeout().toNanos(),
            TimeUnit.NANOSECONDS);
    process
        .onExit()
        .thenAccept(
            exited -> {
              timeout.cancel(false);
              result.complete(judge(exited.exitValue()));
            });
  }

  private ProbeResult judge(int exitCode) {
    if (exitCode == 0) {
      return ProbeResult.up("exit 0");
    }
    if (check.dynamicWeight() && exitCode >= 2 && exitCode <= 255) {
      int weight = exitCode - 2;
      return ProbeResult.upWithWeight(weight, "weight " + weight + " (exit " + exitCode + ")");
    }
    return ProbeResult.down("exit " + exitCode);
  }

  private void timedOut(
      EventExecutor timer, Process process, CompletableFuture<ProbeResult> result) {
    if (!result.complete(ProbeResult.down("timed out after " + DurationText.of(check.timeout())))) {
      return;
    }
    long group = process.pid();
    LOG.info(
        "MISC_CHECK command timed out, terminating its process group command=\"{}\" pid={} timeout={}",
        check.command(),
        group,
        check.timeout());
    signal(process, MiscProcessGroup.SIGTERM);
    // Whatever the command started and left behind dies with the group once the command is gone.
    process.onExit().thenRun(() -> signal(process, MiscProcessGroup.SIGKILL));
    timer.schedule(
        () -> {
          if (process.isAlive()) {
            LOG.warn(
                "MISC_CHECK command alive after SIGTERM, killing its process group pid={}", group);
            signal(process, MiscProcessGroup.SIGKILL);
          }
        },
        TERMINATION_GRACE.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  private static void signal(Process process, int signal) {
    try {
      boolean signalled = MiscProcessGroup.signal(process.pid(), signal);
      if (!signalled && process.isAlive()) {
        // Not yet a group of its own: setsid(1) has not run. The process alone, then.
        if (signal == MiscProcessGroup.SIGKILL) {
          process.destroyForcibly();
        } else {
          process.destroy();
        }
      }
    } catch (SyscallException e) {
      LOG.error(
          "MISC_CHECK cannot signal the process group pid={} signal={}", process.pid(), signal, e);
    }
  }
}
