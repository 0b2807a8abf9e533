package io.kubelvs.agent.config;

import io.kubelvs.agent.vrrp.TrackedCondition;
import io.kubelvs.agent.vrrp.TrackedFile;
import io.kubelvs.agent.vrrp.TrackedInterface;
import io.kubelvs.agent.vrrp.TrackedScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads keepalived's {@code vrrp_script} blocks and an instance's {@code track_script} into the
 * VRRP core's {@link TrackedScript}s, with keepalived's defaults (keepalived.conf(5)): interval 1
 * s, timeout = interval, rise 1, fall 1, weight 0 (a failing script puts the instance in FAULT).
 *
 * <p>{@code track_script { NAME [weight N] }} gives the script another weight for that instance;
 * {@code track_interface { IFNAME [weight N] }} tracks another interface's link ({@link
 * TrackedInterface}); {@code vrrp_track_file} and {@code track_file { NAME [weight N] }} a file
 * holding a number ({@link TrackedFile}). Refused by name: {@code reverse} (weights that act the
 * other way round) and {@code user} (scripts run as the agent's user).
 */
final class KeepalivedTracking {
  private static final Duration MAX_TIME = Duration.ofDays(1);

  /** keepalived.conf(5): weight &lt;INTEGER:-253..253&gt;. */
  private static final int MAX_WEIGHT = 253;

  /** keepalived.conf(5): the weight of track_interface and track_file, &lt;-254..254&gt;. */
  private static final int MAX_INTERFACE_WEIGHT = 254;

  /** One vrrp_script as read, with where it came from. */
  record Script(ConfNode node, TrackedScript script) {}

  private final ConfProblems problems;
  private final Map<String, Script> scripts = new LinkedHashMap<>();

  /** One vrrp_track_file as read, with where it came from. */
  record File(ConfNode node, TrackedFile file) {}

  private final Map<String, File> files = new LinkedHashMap<>();

  /** Every vrrp_script's name, read or not: tracking a broken one adds no problem of its own. */
  private final Set<String> declared = new HashSet<>();

  KeepalivedTracking(ConfProblems problems) {
    this.problems = problems;
  }

  /** Reads every vrrp_script of {@code conf}; their problems go to the reader's problems. */
  void readScripts(KeepalivedConf conf) {
    for (ConfNode node : conf.statements("vrrp_script")) {
      declared.addAll(node.args());
      int before = problems.count();
      Optional<TrackedScript> script = script(node);
      if (script.isEmpty() || problems.count() > before) {
        continue;
      }
      Script first = scripts.putIfAbsent(script.get().name(), new Script(node, script.get()));
      if (first != null) {
        problems.add(
            node.problem(
                "vrrp_script "
                    + script.get().name()
                    + " is defined twice (first at "
                    + first.node().position()
                    + ")"));
      }
    }
  }

  /**
   * Reads every {@code vrrp_track_file NAME { file PATH weight N init_file [VALUE] [overwrite] }}
   * of {@code conf}: weight 1 unless said, as in keepalived.
   */
  void readFiles(KeepalivedConf conf) {
    for (ConfNode node : conf.statements("vrrp_track_file")) {
      declared.addAll(node.args());
      int before = problems.count();
      String[] name = {null};
      problems.attempt(() -> name[0] = node.singleArg());
      String[] path = {null};
      int[] weight = {1};
      Integer[] init = {null};
      boolean[] overwrite = {false};
      for (ConfNode child : node.children()) {
        switch (child.keyword()) {
          case "file" -> problems.attempt(() -> path[0] = absolutePath(child));
          case "weight" -> problems.attempt(() -> weight[0] = weight(child, MAX_INTERFACE_WEIGHT));
          case "init_file" ->
              problems.attempt(
                  () -> {
                    List<String> args = new ArrayList<>(child.args());
                    overwrite[0] = !args.isEmpty() && args.get(args.size() - 1).equals("overwrite");
                    if (overwrite[0]) {
                      args.remove(args.size() - 1);
                    }
                    if (args.size() > 1) {
                      throw child.error("init_file: expected [VALUE] [overwrite], got " + args);
                    }
                    init[0] =
                        args.isEmpty()
                            ? 0
                            : new ConfNode("init_file", args, false, List.of(), child.position())
                                .intArg(-MAX_INTERFACE_WEIGHT, MAX_INTERFACE_WEIGHT);
                  });
          default -> problems.add(child.unknownKeyword());
        }
      }
      if (node.children("file").isEmpty()) {
        problems.add(node.problem("vrrp_track_file " + name[0] + ": missing 'file'"));
      }
      if (name[0] == null || path[0] == null || problems.count() > before) {
        continue;
      }
      try {
        TrackedFile file =
            new TrackedFile(
                name[0],
                Path.of(path[0]),
                weight[0],
                init[0] == null ? OptionalInt.empty() : OptionalInt.of(init[0]),
                overwrite[0]);
        File first = files.putIfAbsent(name[0], new File(node, file));
        if (first != null) {
          problems.add(
              node.problem(
                  "vrrp_track_file "
                      + name[0]
                      + " is defined twice (first at "
                      + first.node().position()
                      + ")"));
        }
      } catch (IllegalArgumentException e) {
        problems.add(node.problem("vrrp_track_file " + name[0] + ": " + e.getMessage()));
      }
    }
  }

  private static String absolutePath(ConfNode node) throws KeepalivedConfException {
    String path = node.singleArg();
    if (!path.startsWith("/")) {
      throw node.error("file: '" + path + "' is not an absolute path");
    }
    return path;
  }

  /** An instance's {@code track_file} block: each line {@code NAME [weight N]}. */
  List<TrackedFile> trackFiles(ConfNode block) {
    List<TrackedFile> tracked = new ArrayList<>();
    for (ConfNode line : block.children()) {
      File file = files.get(line.keyword());
      if (file == null) {
        if (!declared.contains(line.keyword())) {
          problems.add(line.problem("track_file: no vrrp_track_file named " + line.keyword()));
        }
        continue;
      }
      if (tracked.stream().anyMatch(t -> t.name().equals(line.keyword()))) {
        problems.add(line.problem("track_file: " + line.keyword() + " is listed twice"));
        continue;
      }
      problems.attempt(
          () ->
              tracked.add(
                  lineWeight(block, line, MAX_INTERFACE_WEIGHT)
                      .map(w -> file.file().withWeight(w))
                      .orElse(file.file())));
    }
    return tracked;
  }

  private Optional<TrackedScript> script(ConfNode node) {
    String[] name = {null};
    problems.attempt(() -> name[0] = node.singleArg());
    List<String> command = new ArrayList<>();
    Duration[] interval = {Duration.ofSeconds(1)};
    Duration[] timeout = {null};
    int[] rise = {1};
    int[] fall = {1};
    int[] weight = {0};
    boolean initFail = false;
    for (ConfNode child : node.children()) {
      switch (child.keyword()) {
        case "script" -> problems.attempt(() -> command.addAll(command(child)));
        case "interval" ->
            problems.attempt(() -> interval[0] = child.durationArg(Duration.ofMillis(1), MAX_TIME));
        case "timeout" ->
            problems.attempt(() -> timeout[0] = child.durationArg(Duration.ofMillis(1), MAX_TIME));
        case "rise" -> problems.attempt(() -> rise[0] = child.intArg(1, Integer.MAX_VALUE));
        case "fall" -> problems.attempt(() -> fall[0] = child.intArg(1, Integer.MAX_VALUE));
        case "weight" -> problems.attempt(() -> weight[0] = weight(child, MAX_WEIGHT));
        case "init_fail" -> initFail = problems.flag(child);
        case "user" ->
            problems.add(
                child.problem("user is not supported yet: scripts run as the agent's user"));
        default -> problems.add(child.unknownKeyword());
      }
    }
    if (node.children("script").isEmpty()) {
      problems.add(node.problem("vrrp_script " + name[0] + ": missing 'script'"));
    }
    if (name[0] == null || command.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new TrackedScript(
              new TrackedCondition.Settings(
                  name[0],
                  interval[0],
                  timeout[0] != null ? timeout[0] : interval[0],
                  rise[0],
                  fall[0],
                  weight[0],
                  initFail),
              command));
    } catch (IllegalArgumentException e) {
      problems.add(node.problem("vrrp_script " + name[0] + ": " + e.getMessage()));
      return Optional.empty();
    }
  }

  /** {@code script "PROGRAM ARGS"}: split into words as keepalived does ({@link NotifyScript}). */
  private static List<String> command(ConfNode node) throws KeepalivedConfException {
    if (node.args().size() != 1) {
      throw node.error(
          "script: expected the command in one pair of double quotes, got "
              + node.args().size()
              + " words");
    }
    try {
      return NotifyScript.parse(node.args().get(0)).command();
    } catch (IllegalArgumentException e) {
      throw node.error("script: " + e.getMessage());
    }
  }

  /** {@code weight N}, in a vrrp_script or after a script's name in track_script. */
  private static int weight(ConfNode node, int max) throws KeepalivedConfException {
    List<String> args = node.args();
    if (args.size() == 2 && args.get(1).equals("reverse")) {
      throw node.error(
          node.keyword() + ": weight ... reverse is not supported yet; give the weight its sign");
    }
    return node.intArg(-max, max);
  }

  /**
   * An instance's {@code track_script} block: each line {@code NAME [weight N]}, naming a
   * vrrp_script.
   */
  List<TrackedScript> trackScripts(ConfNode block) {
    List<TrackedScript> tracked = new ArrayList<>();
    for (ConfNode line : block.children()) {
      Script script = scripts.get(line.keyword());
      if (script == null) {
        if (!declared.contains(line.keyword())) {
          problems.add(line.problem("track_script: no vrrp_script named " + line.keyword()));
        }
        continue;
      }
      if (tracked.stream().anyMatch(t -> t.name().equals(line.keyword()))) {
        problems.add(line.problem("track_script: " + line.keyword() + " is listed twice"));
        continue;
      }
      problems.attempt(
          () ->
              tracked.add(
                  lineWeight(block, line, MAX_WEIGHT)
                      .map(w -> script.script().withWeight(w))
                      .orElse(script.script())));
    }
    return tracked;
  }

  /**
   * An instance's {@code track_interface} block: each line {@code IFNAME [weight N]}, N in ±254 as
   * keepalived.conf(5) has it; weight 0 (the default) faults the instance while the interface is
   * down.
   */
  List<TrackedInterface> trackInterfaces(ConfNode block) {
    List<TrackedInterface> tracked = new ArrayList<>();
    for (ConfNode line : block.children()) {
      if (tracked.stream().anyMatch(t -> t.interfaceName().equals(line.keyword()))) {
        problems.add(line.problem("track_interface: " + line.keyword() + " is listed twice"));
        continue;
      }
      problems.attempt(
          () -> {
            int weight = lineWeight(block, line, MAX_INTERFACE_WEIGHT).orElse(0);
            try {
              tracked.add(new TrackedInterface(line.keyword(), weight));
            } catch (IllegalArgumentException e) {
              throw line.error(e.getMessage());
            }
          });
    }
    return tracked;
  }

  /** The {@code weight N} after the name on a line of a track_* block, if there is one. */
  private static Optional<Integer> lineWeight(ConfNode block, ConfNode line, int max)
      throws KeepalivedConfException {
    if (line.args().isEmpty()) {
      return Optional.empty();
    }
    if (!line.args().get(0).equals("weight") || line.args().size() < 2) {
      throw line.error(
          block.keyword() + ": expected NAME [weight N], got " + String.join(" ", line.words()));
    }
    ConfNode weightNode =
        new ConfNode(
            "weight",
            line.args().subList(1, line.args().size()),
            false,
            List.of(),
            line.position());
    return Optional.of(weight(weightNode, max));
  }
}
