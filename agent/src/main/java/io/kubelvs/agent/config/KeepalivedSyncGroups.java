package io.kubelvs.agent.config;

import io.kubelvs.agent.vrrp.TrackedFile;
import io.kubelvs.agent.vrrp.TrackedInterface;
import io.kubelvs.agent.vrrp.TrackedScript;
import io.kubelvs.agent.vrrp.VrrpInstanceConfig;
import io.kubelvs.agent.vrrp.VrrpRunnerConfig.SyncGroupMembers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads keepalived's {@code vrrp_sync_group NAME { group { VI_1 VI_2 } }} into the VRRP core's
 * {@link SyncGroupMembers}, by the runner (interface and family) its members run on.
 *
 * <p>The core keeps a group inside one runner: the instances of one interface and address family
 * share one event loop, which is what lets a group change their states together in one step. A
 * group whose members are on different interfaces (or mix IPv4 and IPv6) is refused, as are the
 * group's own notify scripts, smtp_alert and track_* keywords. A tracking weight other than 0 on a
 * member is refused too: keepalived ignores such weights in a sync group unless {@code
 * sync_group_tracking_weight} says otherwise, as members that move their priorities apart can end
 * up master and backup at once.
 */
final class KeepalivedSyncGroups {

  /** An instance as read, with the runner it runs in. */
  record Member(ConfNode node, String runnerKey, VrrpInstanceConfig config) {}

  private KeepalivedSyncGroups() {}

  /**
   * @param members the instances read without problems, by name
   * @param declared the name of every vrrp_instance, read or not, so a group naming a broken one
   *     adds no problem of its own
   * @return the groups by runner key
   */
  static Map<String, List<SyncGroupMembers>> read(
      KeepalivedConf conf,
      ConfProblems problems,
      Map<String, Member> members,
      Set<String> declared) {
    Map<String, List<SyncGroupMembers>> byRunner = new LinkedHashMap<>();
    Map<String, ConfNode> names = new HashMap<>();
    Map<String, String> groupOf = new HashMap<>();
    for (ConfNode node : conf.statements("vrrp_sync_group")) {
      int before = problems.count();
      String[] name = {null};
      problems.attempt(() -> name[0] = node.singleArg());
      List<String> instances = new ArrayList<>();
      List<ConfNode> groupBlocks = node.children("group");
      for (ConfNode child : node.children()) {
        switch (child.keyword()) {
          case "group" -> child.children().forEach(line -> instances.addAll(line.words()));
          case "notify",
              "notify_master",
              "notify_backup",
              "notify_fault",
              "notify_stop",
              "smtp_alert",
              "track_interface",
              "track_script",
              "track_file",
              "track_process",
              "track_bfd",
              "global_tracking",
              "sync_group_tracking_weight",
              "notify_priority_changes" ->
              problems.add(
                  child.problem(child.keyword() + " in vrrp_sync_group is not supported yet"));
          default -> problems.add(child.unknownKeyword());
        }
      }
      if (groupBlocks.isEmpty() || instances.isEmpty()) {
        problems.add(node.problem("vrrp_sync_group " + name[0] + ": missing 'group'"));
      }
      if (name[0] != null) {
        ConfNode first = names.putIfAbsent(name[0], node);
        if (first != null) {
          problems.add(
              node.problem(
                  "vrrp_sync_group "
                      + name[0]
                      + " is defined twice (first at "
                      + first.position()
                      + ")"));
        }
      }
      Member anchor = null;
      for (String instance : instances) {
        Member member = members.get(instance);
        if (member == null) {
          if (!declared.contains(instance)) {
            problems.add(
                node.problem("vrrp_sync_group " + name[0] + ": no vrrp_instance " + instance));
          }
          continue;
        }
        String other = groupOf.putIfAbsent(instance, name[0]);
        if (other != null) {
          problems.add(
              node.problem(
                  "vrrp_sync_group "
                      + name[0]
                      + ": vrrp_instance "
                      + instance
                      + " is already in vrrp_sync_group "
                      + other));
        }
        // keepalived ignores tracking weights in sync groups without sync_group_tracking_weight.
        for (TrackedScript script : member.config().trackScripts()) {
          refuseWeight(
              problems,
              member,
              name[0],
              "track_script " + script.name(),
              script.settings().weight());
        }
        for (TrackedFile tracked : member.config().trackFiles()) {
          refuseWeight(problems, member, name[0], "track_file " + tracked.name(), tracked.weight());
        }
        for (TrackedInterface tracked : member.config().trackInterfaces()) {
          refuseWeight(
              problems,
              member,
              name[0],
              "track_interface " + tracked.interfaceName(),
              tracked.weight());
        }
        if (anchor == null) {
          anchor = member;
        } else if (!anchor.runnerKey().equals(member.runnerKey())) {
          problems.add(
              node.problem(
                  "vrrp_sync_group "
                      + name[0]
                      + ": "
                      + anchor.config().name()
                      + " runs on "
                      + anchor.runnerKey()
                      + " and "
                      + instance
                      + " on "
                      + member.runnerKey()
                      + "; sync groups across interfaces or address families are not supported"
                      + " yet (each interface and family runs in an event loop of its own)"));
        }
      }
      if (problems.count() == before && anchor != null) {
        byRunner
            .computeIfAbsent(anchor.runnerKey(), k -> new ArrayList<>())
            .add(new SyncGroupMembers(name[0], instances));
      }
    }
    return byRunner;
  }

  private static void refuseWeight(
      ConfProblems problems, Member member, String group, String tracked, int weight) {
    if (weight != 0) {
      problems.add(
          member
              .node()
              .problem(
                  "vrrp_instance "
                      + member.config().name()
                      + " is in vrrp_sync_group "
                      + group
                      + ": "
                      + tracked
                      + " with weight "
                      + weight
                      + " is not supported (keepalived ignores weights in sync groups"
                      + " without sync_group_tracking_weight); use weight 0"));
    }
  }
}
