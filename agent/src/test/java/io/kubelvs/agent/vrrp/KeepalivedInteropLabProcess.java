package io.kubelvs.agent.vrrp;

import io.kubelvs.agent.testing.NetnsLab;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * kubelvs' VRRP stack as a process in one host of a {@link NetnsLab}: {@code ip netns exec NS java
 * io.kubelvs.agent.vrrp.VrrpLabMain ...}. Its contract: it prints {@code READY}, then one {@code
 * STATE VI_1 <from> <to> <monotonic-millis> <reason>} line per state change; on SIGTERM it hands
 * over as planned, prints {@code STOPPED} and exits 0. {@link #close()} kills it if still running.
 */
final class KeepalivedInteropLabProcess implements AutoCloseable {
  static final String MAIN_CLASS = "io.kubelvs.agent.vrrp.VrrpLabMain";
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final NetnsLab.Host host;
  private final Process process;
  private final List<String> output = new ArrayList<>();
  private final Thread reader;

  private KeepalivedInteropLabProcess(NetnsLab.Host host, Process process) {
    this.host = host;
    this.process = process;
    this.reader = new Thread(this::readOutput, "vrrp-lab-" + host.name());
    reader.setDaemon(true);
  }

  /** Starts VrrpLabMain in {@code host} with {@code arguments} (--interface, --vrid, ...). */
  static KeepalivedInteropLabProcess start(NetnsLab.Host host, List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.addAll(List.of("ip", "netns", "exec", host.namespace(), java(), "-cp", classPath()));
    command.add(MAIN_CLASS);
    command.addAll(arguments);
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + MAIN_CLASS + " in " + host, e);
    }
    KeepalivedInteropLabProcess started = new KeepalivedInteropLabProcess(host, process);
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      started.close();
      throw new UncheckedIOException("cannot close the stdin of " + MAIN_CLASS, e);
    }
    started.reader.start();
    return started;
  }

  /** Whether the test JVM can start VrrpLabMain: its class is on the test class path. */
  static boolean available() {
    try {
      Class.forName(MAIN_CLASS, false, KeepalivedInteropLabProcess.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String classPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank()
        ? surefire
        : System.getProperty("java.class.path");
  }

  private void readOutput() {
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        printed(line);
      }
    } catch (IOException e) {
      printed("(output reader: " + e.getMessage() + ")");
    }
  }

  private synchronized void printed(String line) {
    output.add(line);
    notifyAll();
  }

  NetnsLab.Host host() {
    return host;
  }

  /** The states it entered ({@code <to>} of every STATE line), in order. */
  synchronized List<String> states() {
    return output.stream()
        .filter(line -> line.startsWith("STATE "))
        .map(line -> line.split("\\s+")[3])
        .toList();
  }

  /** The state of its last STATE line, or STARTING before the first. */
  synchronized String state() {
    List<String> states = states();
    return states.isEmpty() ? "STARTING" : states.get(states.size() - 1);
  }

  synchronized List<String> output() {
    return List.copyOf(output);
  }

  void awaitReady(Duration timeout) throws InterruptedException {
    awaitOutput(lines -> lines.contains("READY"), "READY", timeout);
  }

  void awaitState(String expected, Duration timeout) throws InterruptedException {
    awaitOutput(lines -> state().equals(expected), "state " + expected, timeout);
  }

  private synchronized void awaitOutput(Predicate<List<String>> done, String what, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.test(output)) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || (!process.isAlive() && !done.test(output))) {
        throw new AssertionError(
            MAIN_CLASS
                + " in "
                + host
                + " did not reach "
                + what
                + " within "
                + timeout
                + (process.isAlive() ? "" : " (it exited " + process.exitValue() + ")")
                + "; its output:\n"
                + String.join("\n", output));
      }
      TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
    }
  }

  /** SIGTERM: a planned handover; returns the exit code. */
  int stopGracefully() throws InterruptedException {
    // Through the handle: Process.destroy() also closes our end of the pipe, losing STOPPED.
    process.toHandle().destroy();
    if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(MAIN_CLASS + " in " + host + " did not stop within " + STOP_TIMEOUT);
    }
    reader.join(STOP_TIMEOUT.toMillis()); // to the end of its output, STOPPED included
    return process.exitValue();
  }

  /** A crash: SIGKILL, then the host's link goes down. */
  void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    host.setCarrier(false);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return MAIN_CLASS + " in " + host;
  }
}
