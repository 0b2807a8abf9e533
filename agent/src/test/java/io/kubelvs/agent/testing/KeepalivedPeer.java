package io.kubelvs.agent.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The real keepalived (Debian's 2.2.7) as a VRRP peer in one host of a {@link NetnsLab}: one
 * vrrp_instance, VRRP only ({@code -P}), in the foreground logging to stdout ({@code -n -l -D}),
 * with pid files of its own ({@code -p -r -c -b}, fresh names for every start: {@code ip netns
 * exec} does not separate /run). It runs under {@code setsid}, so its pid is its process group.
 *
 * <p>The state is the last "(VI_1) Entering X STATE" line keepalived logged. {@link
 * #stopGracefully()} is SIGTERM to the parent (the VRRP child sends one priority-0 advert); {@link
 * #crash()} is SIGKILL of the whole group plus the host's link going down, as TESTING.md defines a
 * crash. {@link #close()} kills whatever is left of what it started and deletes its files.
 */
public final class KeepalivedPeer implements AutoCloseable {
  public static final String INSTANCE = "VI_1";
  private static final Pattern ENTERING =
      Pattern.compile("\\(" + INSTANCE + "\\) Entering (MASTER|BACKUP|FAULT) STATE");
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  /** What keepalived last logged for the instance; STARTING until the first state line. */
  public enum State {
    STARTING,
    BACKUP,
    MASTER,
    FAULT
  }

  private final NetnsLab.Host host;
  private final KeepalivedPeerConfig config;
  private final Path directory;
  private final List<String> log = new ArrayList<>();
  private final List<State> states = new ArrayList<>();
  private Process process;
  private int starts;

  private KeepalivedPeer(NetnsLab.Host host, KeepalivedPeerConfig config, Path directory) {
    this.host = host;
    this.config = config;
    this.directory = directory;
  }

  /** Writes the config and starts keepalived in {@code host}'s namespace. */
  public static KeepalivedPeer start(NetnsLab.Host host, KeepalivedPeerConfig config) {
    Path directory;
    try {
      directory = Files.createTempDirectory("kubelvs-keepalived-" + host.name() + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a directory for keepalived's files", e);
    }
    KeepalivedPeer peer = new KeepalivedPeer(host, config, directory);
    try {
      peer.restart();
      return peer;
    } catch (RuntimeException | Error e) {
      peer.close();
      throw e;
    }
  }

  /** Starts keepalived again after a stop or crash, with fresh pid-file names. */
  public synchronized void restart() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("keepalived in " + host + " is still running");
    }
    starts++;
    String run = "run" + starts;
    Path conf = directory.resolve(run + ".conf");
    try {
      Files.writeString(conf, config.toKeepalivedConf());
      List<String> command =
          List.of(
              "setsid",
              "ip",
              "netns",
              "exec",
              host.namespace(),
              "keepalived",
              "-P",
              "-n",
              "-l",
              "-D",
              "-f",
              conf.toString(),
              "-p",
              directory.resolve(run + "-keepalived.pid").toString(),
              "-r",
              directory.resolve(run + "-vrrp.pid").toString(),
              "-c",
              directory.resolve(run + "-checkers.pid").toString(),
              "-b",
              directory.resolve(run + "-bfd.pid").toString());
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start keepalived in " + host, e);
    }
    states.add(State.STARTING);
    notifyAll();
    Process started = process;
    Thread reader = new Thread(() -> readLog(started), "keepalived-log-" + host.name());
    reader.setDaemon(true);
    reader.start();
  }

  private void readLog(Process started) {
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        logged(line);
      }
    } catch (IOException e) {
      logged("(log reader: " + e.getMessage() + ")");
    }
  }

  private synchronized void logged(String line) {
    log.add(line);
    Matcher entering = ENTERING.matcher(line);
    if (entering.find()) {
      states.add(State.valueOf(entering.group(1)));
    }
    notifyAll();
  }

  public NetnsLab.Host host() {
    return host;
  }

  public KeepalivedPeerConfig config() {
    return config;
  }

  /** The state keepalived last logged for the instance. */
  public synchronized State state() {
    return states.get(states.size() - 1);
  }

  /** Every state logged since the first start, in order (STARTING at each start). */
  public synchronized List<State> states() {
    return List.copyOf(states);
  }

  /** Everything keepalived printed since the first start. */
  public synchronized List<String> log() {
    return List.copyOf(log);
  }

  /** Waits until keepalived logs {@code expected}; fails with its log if it does not in time. */
  public synchronized void awaitState(State expected, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (state() != expected) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "keepalived in "
                + host
                + " is "
                + state()
                + ", not "
                + expected
                + ", after "
                + timeout
                + "; its log:\n"
                + String.join("\n", log));
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** SIGTERM to the parent: the VRRP child sends one priority-0 advert, removes the VIPs, exits. */
  public void stopGracefully() throws InterruptedException {
    Process running = running();
    // Through the handle: Process.destroy() also closes our end of the pipe, losing the last log.
    running.toHandle().destroy();
    if (!running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("keepalived in " + host + " did not stop within " + STOP_TIMEOUT);
    }
  }

  /** A crash: SIGKILL of the whole process group, then the host's link goes down. */
  public void crash() throws InterruptedException {
    Process running = running();
    killGroup(running.pid());
    running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    host.setCarrier(false);
  }

  private synchronized Process running() {
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException("keepalived in " + host + " is not running");
    }
    return process;
  }

  /** Kills the process group keepalived leads (its pid: it runs under setsid). */
  private static void killGroup(long leader) {
    try {
      Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + leader).start();
      kill.getOutputStream().close();
      kill.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot kill keepalived's process group " + leader, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted killing process group " + leader, e);
    }
  }

  /**
   * Kills the group if the parent still runs, and the VRRP child if it outlived a graceful stop,
   * then deletes the config and pid files.
   */
  @Override
  public synchronized void close() {
    if (process != null && process.isAlive()) {
      killGroup(process.pid());
      try {
        process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    vrrpChildPid()
        .flatMap(ProcessHandle::of)
        .filter(child -> child.info().command().orElse("").endsWith("keepalived"))
        .ifPresent(ProcessHandle::destroyForcibly);
    deleteDirectory();
  }

  private Optional<Long> vrrpChildPid() {
    Path file = directory.resolve("run" + starts + "-vrrp.pid");
    try {
      return Files.exists(file)
          ? Optional.of(Long.parseLong(Files.readString(file).strip()))
          : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private void deleteDirectory() {
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete keepalived's files in " + directory, e);
    }
  }

  @Override
  public String toString() {
    return "keepalived in " + host + " (priority " + config.priority() + ")";
  }
}
