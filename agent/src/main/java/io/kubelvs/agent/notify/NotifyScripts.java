package io.kubelvs.agent.notify;

import io.kubelvs.agent.config.NotifyScript;
import io.kubelvs.agent.sys.MiscProcessGroup;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs notify scripts off the caller's thread, as keepalived's lib/notify.c does: the program is
 * executed directly with its arguments (no shell), in a process group of its own, with stdin on
 * /dev/null and / as working directory. Unlike keepalived, which never waits for a notify script
 * (except notify_stop, killed after 1 s), every script here has a timeout, after which its whole
 * group gets SIGTERM and, {@link #TERMINATION_GRACE} later, SIGKILL: a hung script must not pile up
 * processes over months of flapping. What the script writes is logged line by line, and so is how
 * it ended.
 *
 * <p>A few scripts run at once ({@link #PARALLEL}); more wait in a bounded queue, and when that is
 * full a script is dropped and logged rather than holding up the caller.
 */
public final class NotifyScripts implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NotifyScripts.class);

  /** keepalived waits for nothing; we bound a script so that a hung one is noticed and killed. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** keepalived's notify_stop and shutdown scripts: killed after 1 s (TIMER_HZ). */
  public static final Duration STOP_TIMEOUT = Duration.ofSeconds(1);

  static final Duration TERMINATION_GRACE = Duration.ofSeconds(2);
  static final int PARALLEL = 4;
  static final int QUEUE = 64;
  static final int MAX_OUTPUT_LINES = 100;

  private static final File DEV_NULL = new File("/dev/null");
  private static final Duration OUTPUT_WAIT = Duration.ofSeconds(1);

  private final ThreadPoolExecutor workers;
  private final ExecutorService outputReaders;

  public NotifyScripts() {
    AtomicInteger ids = new AtomicInteger();
    this.workers =
        new ThreadPoolExecutor(
            PARALLEL,
            PARALLEL,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            runnable -> daemon(runnable, "notify-script-" + ids.incrementAndGet()),
            new ThreadPoolExecutor.AbortPolicy());
    this.outputReaders = Executors.newCachedThreadPool(r -> daemon(r, "notify-script-output"));
  }

  /**
   * Starts {@code script} with {@code extraArgs} after its own and returns at once.
   *
   * @param event what the script is run for, for the log: {@code vrrp_transition VI_1 MASTER}
   * @return how it ended; completed with an error result when it was dropped
   */
  public CompletableFuture<ScriptResult> run(
      String event, NotifyScript script, List<String> extraArgs, Duration timeout) {
    List<String> command = script.commandWith(extraArgs);
    CompletableFuture<ScriptResult> result = new CompletableFuture<>();
    try {
      workers.execute(() -> result.complete(execute(event, command, timeout)));
    } catch (RejectedExecutionException e) {
      String why = workers.isShutdown() ? "the agent is stopping" : "too many scripts waiting";
      LOG.warn(
          "event=notify_script_dropped for=\"{}\" script=\"{}\" reason=\"{}\"",
          event,
          String.join(" ", command),
          why);
      result.complete(new ScriptResult(command, OptionalInt.empty(), false, List.of(), why));
    }
    return result;
  }

  private ScriptResult execute(String event, List<String> command, Duration timeout) {
    String text = String.join(" ", command);
    List<String> setsid = new ArrayList<>(command.size() + 1);
    // setsid(1) execs in place (the JVM's children never lead a group), so the script's pid is its
    // group's id and a timeout can kill everything it started.
    setsid.add("setsid");
    setsid.addAll(command);
    Process process;
    try {
      process =
          new ProcessBuilder(setsid)
              .directory(new File("/"))
              .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
              .redirectErrorStream(true)
              .start();
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "event=notify_script_failed for=\"{}\" script=\"{}\" error=\"{}\"",
          event,
          text,
          e.getMessage());
      return new ScriptResult(command, OptionalInt.empty(), false, List.of(), e.getMessage());
    }
    List<String> output = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Void> reading =
        CompletableFuture.runAsync(() -> read(process, event, text, output), outputReaders);
    boolean timedOut = !waitFor(process, timeout);
    if (timedOut) {
      LOG.warn(
          "event=notify_script_timeout for=\"{}\" script=\"{}\" pid={} timeout_ms={}",
          event,
          text,
          process.pid(),
          timeout.toMillis());
      kill(process);
    }
    try {
      // A daemon the script left behind may hold the output open: don't wait for it long.
      reading.get(OUTPUT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
      // Whatever was read so far is in the result.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    OptionalInt exit = timedOut ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    if (!timedOut) {
      LOG.info(
          "event=notify_script_exit for=\"{}\" script=\"{}\" exit={}",
          event,
          text,
          exit.getAsInt());
    }
    synchronized (output) {
      return new ScriptResult(command, exit, timedOut, output, "");
    }
  }

  private static boolean waitFor(Process process, Duration timeout) {
    try {
      return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGTERM to the group, SIGKILL after the grace if the script is still there. */
  private static void kill(Process process) {
    long group = process.pid();
    MiscProcessGroup.signal(group, MiscProcessGroup.SIGTERM);
    if (!waitFor(process, TERMINATION_GRACE)) {
      MiscProcessGroup.signal(group, MiscProcessGroup.SIGKILL);
      waitFor(process, TERMINATION_GRACE);
    }
    // Children that ignored SIGTERM die with the group once the script is gone.
    MiscProcessGroup.signal(group, MiscProcessGroup.SIGKILL);
  }

  private static void read(Process process, String event, String text, List<String> output) {
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (output.size() < MAX_OUTPUT_LINES) {
          output.add(line);
          LOG.info(
              "event=notify_script_output for=\"{}\" script=\"{}\" line=\"{}\"", event, text, line);
        }
      }
    } catch (IOException e) {
      // The stream closes when the script is killed: its output ends there.
    }
  }

  /** Lets running scripts finish for at most {@code bound}; the rest are not started. */
  public void close(Duration bound) {
    workers.shutdown();
    try {
      if (!workers.awaitTermination(bound.toNanos(), TimeUnit.NANOSECONDS)) {
        int unstarted = workers.shutdownNow().size();
        LOG.warn(
            "event=notify_script_dropped count={} reason=\"not done within {} ms of stopping\"",
            unstarted,
            bound.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    outputReaders.shutdownNow();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(2));
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }
}
