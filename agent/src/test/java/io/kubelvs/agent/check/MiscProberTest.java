package io.kubelvs.agent.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MISC_CHECK running real commands: exit codes, misc_dynamic, and a command that hangs. */
class MiscProberTest {
  static final ProbeTarget TARGET =
      ProbeTarget.of(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 80), Duration.ofSeconds(1));
  static final Duration MISC_TIMEOUT = Duration.ofSeconds(1);

  EventLoopGroup group;
  @TempDir Path directory;

  @BeforeEach
  void start() {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  }

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
  }

  ProbeResult run(String command, boolean dynamic) throws Exception {
    return new MiscProber(new MiscCheck(command, MISC_TIMEOUT, dynamic), group)
        .probe(TARGET)
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void exit0IsUp() throws Exception {
    assertThat(run("exit 0", false)).isEqualTo(ProbeResult.up("exit 0"));
  }

  @Test
  void exit0WithMiscDynamicIsUpAndLeavesTheConfiguredWeight() throws Exception {
    ProbeResult result = run("true", true);

    assertThat(result).isEqualTo(ProbeResult.up("exit 0"));
    assertThat(result.weight()).isEqualTo(OptionalInt.empty());
  }

  @Test
  void exit1IsDown() throws Exception {
    assertThat(run("exit 1", false)).isEqualTo(ProbeResult.down("exit 1"));
  }

  @Test
  void exit1IsDownAlsoWithMiscDynamic() throws Exception {
    assertThat(run("exit 1", true)).isEqualTo(ProbeResult.down("exit 1"));
  }

  @ParameterizedTest
  @CsvSource({"2, 0", "7, 5", "100, 98", "255, 253"})
  void exit2To255WithMiscDynamicIsUpWithWeightExitMinus2(int exit, int weight) throws Exception {
    assertThat(run("exit " + exit, true))
        .isEqualTo(ProbeResult.upWithWeight(weight, "weight " + weight + " (exit " + exit + ")"));
  }

  @Test
  void exit7WithoutMiscDynamicIsDown() throws Exception {
    assertThat(run("exit 7", false)).isEqualTo(ProbeResult.down("exit 7"));
  }

  @Test
  void commandRunsThroughTheShell() throws Exception {
    assertThat(run("test \"$(echo a b)\" = 'a b' && exit 3", true))
        .isEqualTo(ProbeResult.upWithWeight(1, "weight 1 (exit 3)"));
  }

  /** As keepalived: stdin is /dev/null, so a command reading it sees end of file, not a hang. */
  @Test
  void stdinIsEmpty() throws Exception {
    assertThat(run("read line", false)).isEqualTo(ProbeResult.down("exit 1"));
  }

  @Test
  void commandLeadsAProcessGroupOfItsOwn() throws Exception {
    Path out = directory.resolve("ids");
    run("echo $$ $(cut -d' ' -f5 /proc/$$/stat) > " + out, false);

    String[] ids = Files.readString(out).trim().split(" ");
    assertThat(ids[1]).isEqualTo(ids[0]);
    assertThat(Long.parseLong(ids[1])).isNotEqualTo(ProcessHandle.current().pid());
  }

  @Test
  void hangingCommandTimesOutAndItsWholeProcessGroupIsKilled() throws Exception {
    Path pids = directory.resolve("pids");
    ProbeResult result =
        run("echo $$ > " + pids + "; sleep 60 & echo $! >> " + pids + "; wait", false);

    assertThat(result).isEqualTo(ProbeResult.down("timed out after 1s"));
    List<Long> group = readPids(pids);
    assertThat(group).hasSize(2);
    awaitGone(group.get(0), group);
  }

  /**
   * keepalived's escalation: a command that ignores SIGTERM (and hands that on to its children)
   * gets SIGKILL 2 s later, its group with it.
   */
  @Test
  void commandIgnoringSigtermIsKilledAfterTheGracePeriod() throws Exception {
    Path pids = directory.resolve("pids");
    ProbeResult result =
        run(
            "trap '' TERM; echo $$ > " + pids + "; sleep 60 & echo $! >> " + pids + "; wait",
            false);

    assertThat(result).isEqualTo(ProbeResult.down("timed out after 1s"));
    List<Long> group = readPids(pids);
    awaitGone(group.get(0), group);
  }

  @Test
  void blankCommandIsRefused() {
    assertThatThrownBy(() -> new MiscProber(new MiscCheck(" ", MISC_TIMEOUT, false), group))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no command");
  }

  @Test
  void zeroTimeoutIsRefused() {
    assertThatThrownBy(() -> new MiscProber(new MiscCheck("true", Duration.ZERO, false), group))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("misc_timeout must be positive");
  }

  static List<Long> readPids(Path file) throws IOException {
    return Files.readAllLines(file).stream().map(String::trim).map(Long::parseLong).toList();
  }

  /**
   * Waits (10 s at most, only to avoid hanging) until neither the processes nor any other member of
   * their group exist, zombies included: /proc lists a zombie until it is reaped.
   */
  static void awaitGone(long groupId, List<Long> pids) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (pids.stream().noneMatch(pid -> Files.exists(Path.of("/proc", pid.toString())))
          && membersOf(groupId).isEmpty()) {
        return;
      }
      Thread.sleep(50);
    }
    assertThat(pids).filteredOn(pid -> Files.exists(Path.of("/proc", pid.toString()))).isEmpty();
    assertThat(membersOf(groupId)).as("processes left in group %d", groupId).isEmpty();
  }

  /** Pids whose /proc/PID/stat names {@code groupId} as their process group (field 5). */
  static List<Long> membersOf(long groupId) throws IOException {
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      return entries
          .filter(path -> path.getFileName().toString().chars().allMatch(Character::isDigit))
          .filter(path -> groupOf(path) == groupId)
          .map(path -> Long.parseLong(path.getFileName().toString()))
          .toList();
    }
  }

  private static long groupOf(Path process) {
    try {
      String stat = Files.readString(process.resolve("stat"));
      // After "pid (comm) ": state, ppid, pgrp. comm may hold spaces, so start after its ')'.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[2]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
