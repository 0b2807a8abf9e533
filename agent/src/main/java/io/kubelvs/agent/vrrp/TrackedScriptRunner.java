package io.kubelvs.agent.vrrp;

import io.kubelvs.agent.sys.MiscProcessGroup;
import io.kubelvs.agent.sys.SyscallException;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tracked scripts ({@code vrrp_script}) every {@code interval} on a thread of its own, so a
 * slow script never holds up the VRRP event loop, and hands each result to a consumer (the loop's
 * command queue). A run still going when the next is due is not started twice: that run is skipped,
 * as keepalived does.
 *
 * <p>As keepalived (lib/notify.c), a script runs in a process group of its own, with stdin, stdout
 * and stderr on /dev/null and / as working directory; one still running at {@code timeout} is a
 * {@link TrackedCondition.Result#TIMEOUT} at once, and its whole group gets SIGTERM, then SIGKILL
 * {@link #TERMINATION_GRACE} later or as soon as the script has exited (for what it left behind).
 * It is started by {@code setsid PROGRAM ARGS} (util-linux; the JVM's children never lead a group,
 * so setsid execs in place and the group's id is the process id).
 */
final class TrackedScriptRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TrackedScriptRunner.class);

  /** How long after SIGTERM a timed-out script's group gets SIGKILL. */
  static final Duration TERMINATION_GRACE = Duration.ofSeconds(2);

  private static final File DEV_NULL = new File("/dev/null");

  private final String owner;
  private final List<TrackedScript> scripts;
  private final BiConsumer<String, TrackedCondition.Result> results;
  private final ScheduledThreadPoolExecutor executor;
  private final Map<String, Process> running = new LinkedHashMap<>();
  private final List<ScheduledFuture<?>> schedules = new ArrayList<>();

  /**
   * @param owner for thread names and logs, e.g. the interface
   * @param scripts each script once (by name), whatever weight each instance gives it
   * @param results called with the script's name and result, on this runner's thread
   */
  TrackedScriptRunner(
      String owner,
      Collection<TrackedScript> scripts,
      BiConsumer<String, TrackedCondition.Result> results) {
    this.owner = owner;
    this.scripts = List.copyOf(scripts);
    this.results = results;
    this.executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread thread = new Thread(r, "vrrp-scripts-" + owner);
              thread.setDaemon(true);
              return thread;
            });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /**
   * Runs each script now and every interval after. Its thread starts here, in the calling thread's
   * network namespace, which the scripts then run in.
   */
  void start() {
    executor.prestartAllCoreThreads();
    for (TrackedScript script : scripts) {
      schedules.add(
          executor.scheduleAtFixedRate(
              () -> launch(script),
              0,
              script.settings().interval().toNanos(),
              TimeUnit.NANOSECONDS));
    }
  }

  /** Stops the schedule and kills the scripts still running, with their groups. */
  @Override
  public void close() {
    schedules.forEach(s -> s.cancel(false));
    try {
      executor.submit(() -> running.values().forEach(p -> signal(p, MiscProcessGroup.SIGKILL)));
    } catch (RejectedExecutionException alreadyClosed) {
      return;
    }
    executor.shutdown();
    try {
      executor.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void launch(TrackedScript script) {
    String name = script.name();
    if (running.containsKey(name)) {
      log.debug("vrrp script still running, run skipped owner={} script={}", owner, name);
      return;
    }
    Process process;
    List<String> command = new ArrayList<>();
    command.add("setsid");
    command.addAll(script.command());
    try {
      process =
          new ProcessBuilder(command)
              .directory(new File("/"))
              .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException | RuntimeException e) {
      log.warn(
          "vrrp script cannot be started owner={} script={} error=\"{}\"",
          owner,
          name,
          e.getMessage());
      results.accept(name, TrackedCondition.Result.FAILURE);
      return;
    }
    running.put(name, process);
    ScheduledFuture<?> timeout =
        executor.schedule(
            () -> timedOut(name, process),
            script.settings().timeout().toNanos(),
            TimeUnit.NANOSECONDS);
    process
        .onExit()
        .thenAccept(
            exited -> {
              try {
                executor.execute(
                    () -> {
                      if (running.remove(name, exited) && timeout.cancel(false)) {
                        results.accept(
                            name,
                            exited.exitValue() == 0
                                ? TrackedCondition.Result.SUCCESS
                                : TrackedCondition.Result.FAILURE);
                      }
                    });
              } catch (RejectedExecutionException closed) {
                // Closed meanwhile: nobody wants the result.
              }
            });
  }

  private void timedOut(String name, Process process) {
    if (!running.remove(name, process)) {
      return;
    }
    log.info(
        "vrrp script timed out, terminating its process group owner={} script={} pid={}",
        owner,
        name,
        process.pid());
    results.accept(name, TrackedCondition.Result.TIMEOUT);
    signal(process, MiscProcessGroup.SIGTERM);
    process.onExit().thenRun(() -> signal(process, MiscProcessGroup.SIGKILL));
    executor.schedule(
        () -> {
          if (process.isAlive()) {
            log.warn(
                "vrrp script alive after SIGTERM, killing its process group owner={} pid={}",
                owner,
                process.pid());
            signal(process, MiscProcessGroup.SIGKILL);
          }
        },
        TERMINATION_GRACE.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  private void signal(Process process, int signal) {
    try {
      boolean signalled = MiscProcessGroup.signal(process.pid(), signal);
      if (!signalled && process.isAlive()) {
        // Not yet a group of its own: setsid(1) has not run. The process alone, then.
        process.destroyForcibly();
      }
    } catch (SyscallException e) {
      log.error(
          "vrrp script cannot be signalled owner={} pid={} signal={}",
          owner,
          process.pid(),
          signal,
          e);
    }
  }
}
