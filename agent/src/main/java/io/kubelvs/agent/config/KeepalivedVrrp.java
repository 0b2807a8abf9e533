package io.kubelvs.agent.config;

import io.kubelvs.agent.netlink.CidrAddress;
import io.kubelvs.agent.vrrp.TrackedFile;
import io.kubelvs.agent.vrrp.TrackedInterface;
import io.kubelvs.agent.vrrp.TrackedScript;
import io.kubelvs.agent.vrrp.VrrpInstanceConfig;
import io.kubelvs.agent.vrrp.VrrpRunnerConfig;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads keepalived's {@code global_defs} and {@code vrrp_instance} blocks into {@link GlobalDefs}
 * and the VRRP core's {@link VrrpRunnerConfig}s, with keepalived's keywords and defaults
 * (keepalived.conf(5)): priority 100, advert_int 1 s, VRRPv2, preemption on, 224.0.0.18. Every
 * problem is collected and reported at once at its file and line; unknown keywords are problems.
 *
 * <p>{@code state} is read and checked but decides nothing: the election does, by priority, as RFC
 * 5798 has it. The notify scripts (notify_master, notify_backup, notify_fault, notify_stop and the
 * generic notify) and smtp_alert are read with global_defs' smtp_alert, smtp_alert_vrrp,
 * smtp_alert_checker, smtp_helo_name and no_email_faults; vrrp_script, vrrp_track_file,
 * track_script, track_interface and track_file as {@link KeepalivedTracking} reads them,
 * vrrp_sync_group as {@link KeepalivedSyncGroups} does. Not supported yet, and refused by name:
 * track_process, track_bfd, unicast_src_ip, AH authentication, running scripts as another user
 * (script_user, enable_script_security, a user after a script), and virtual_ipaddress options other
 * than {@code dev} naming the instance's own interface.
 */
public final class KeepalivedVrrp {
  private static final Duration MAX_TIME = Duration.ofDays(1);

  private final ConfProblems problems = new ConfProblems();
  private final VrrpDefaults defaults = new VrrpDefaults();
  private final Map<String, Notifications.InstanceScripts> scripts = new LinkedHashMap<>();
  private final KeepalivedTracking tracking = new KeepalivedTracking(problems);

  private KeepalivedVrrp() {}

  /** What global_defs sets for every instance. */
  private static final class VrrpDefaults {
    Optional<InetAddress> group4 = Optional.empty();
    Optional<InetAddress> group6 = Optional.empty();
    int version = 2;
    VrrpInstanceConfig.Garp garp = VrrpInstanceConfig.Garp.KEEPALIVED_DEFAULTS;
  }

  /**
   * Both parts of the VRRP side of a file, read in one pass, with what global_defs and the
   * instances say about notifications.
   *
   * @param alerts global_defs' smtp_alert defaults, which the virtual servers' alerts need too
   * @param scripts the instances' notify scripts, by instance name
   */
  record Parts(
      GlobalDefs global,
      VrrpConfig vrrp,
      SmtpAlerts alerts,
      String smtpHeloName,
      boolean mailFaults,
      Map<String, Notifications.InstanceScripts> scripts) {}

  /**
   * global_defs and the VRRP instances of {@code conf}.
   *
   * @param hostName router_id when global_defs has none, as in keepalived
   * @throws KeepalivedConfException with every problem of both
   */
  static Parts read(KeepalivedConf conf, String hostName) throws KeepalivedConfException {
    KeepalivedVrrp reader = new KeepalivedVrrp();
    GlobalDraft draft = new GlobalDraft(hostName);
    GlobalDefs global = reader.globalDefs(conf, draft);
    SmtpAlerts alerts =
        new SmtpAlerts(draft.smtpAlert, draft.smtpAlertVrrp, draft.smtpAlertChecker);
    VrrpConfig vrrp = reader.instances(conf, alerts);
    reader.problems.throwIfAny();
    return new Parts(global, vrrp, alerts, draft.heloName, draft.mailFaults, reader.scripts);
  }

  /** The global settings of {@code conf}; the instances are read too, and their problems count. */
  public static GlobalDefs readGlobalDefs(KeepalivedConf conf, String hostName)
      throws KeepalivedConfException {
    return read(conf, hostName).global();
  }

  /** The VRRP instances of {@code conf}, grouped by interface and address family. */
  public static VrrpConfig readVrrp(KeepalivedConf conf) throws KeepalivedConfException {
    return read(conf, "localhost").vrrp();
  }

  // ---- global_defs ------------------------------------------------------------------------------

  private GlobalDefs globalDefs(KeepalivedConf conf, GlobalDraft global) {
    List<ConfNode> blocks = conf.statements("global_defs");
    GarpDraft garp = new GarpDraft(defaults.garp);
    for (ConfNode block : blocks) {
      for (ConfNode child : block.children()) {
        switch (child.keyword()) {
          case "router_id" -> problems.attempt(() -> global.routerId = child.singleArg());
          case "notification_email" ->
              child.children().forEach(line -> global.emails.addAll(line.words()));
          case "notification_email_from" ->
              problems.attempt(() -> global.from = Optional.of(child.singleArg()));
          case "smtp_server" ->
              problems.attempt(() -> global.smtp = Optional.of(smtpServer(child)));
          case "smtp_connect_timeout" ->
              problems.attempt(
                  () -> global.smtpTimeout = child.durationArg(Duration.ofSeconds(1), MAX_TIME));
          case "smtp_helo_name" -> problems.attempt(() -> global.heloName = child.singleArg());
          case "smtp_alert" ->
              problems.attempt(() -> global.smtpAlert = Optional.of(ConfNotify.bool(child)));
          case "smtp_alert_vrrp" ->
              problems.attempt(() -> global.smtpAlertVrrp = Optional.of(ConfNotify.bool(child)));
          case "smtp_alert_checker" ->
              problems.attempt(() -> global.smtpAlertChecker = Optional.of(ConfNotify.bool(child)));
          case "no_email_faults" -> global.mailFaults = !problems.flag(child);
          case "script_user", "enable_script_security" ->
              problems.add(
                  child.problem(
                      child.keyword()
                          + " is not supported yet: notify scripts run as the agent's user"));
          case "vrrp_mcast_group4" ->
              problems.attempt(() -> defaults.group4 = Optional.of(group(child, true)));
          case "vrrp_mcast_group6" ->
              problems.attempt(() -> defaults.group6 = Optional.of(group(child, false)));
          case "vrrp_version" -> problems.attempt(() -> defaults.version = child.intArg(2, 3));
          default -> {
            if (!garp.read(child, "vrrp_")) {
              problems.add(child.unknownKeyword());
            }
          }
        }
      }
    }
    problems.attempt(() -> defaults.garp = garp.build(blocks.isEmpty() ? null : blocks.get(0)));
    return new GlobalDefs(
        global.routerId,
        global.emails,
        // keepalived's set_default_email_from: the host name, whatever router_id says.
        global.from.orElse("keepalived@" + global.hostName),
        global.smtp,
        global.smtpTimeout);
  }

  /** What global_defs says about this director and its mail, filled keyword by keyword. */
  private static final class GlobalDraft {
    final String hostName;
    String routerId;
    final List<String> emails = new ArrayList<>();
    Optional<String> from = Optional.empty();
    Optional<InetSocketAddress> smtp = Optional.empty();
    Duration smtpTimeout = GlobalDefs.DEFAULT_SMTP_CONNECT_TIMEOUT;
    // keepalived's global_data.c: smtp_helo_name defaults to the host name.
    String heloName;
    boolean mailFaults = true;
    Optional<Boolean> smtpAlert = Optional.empty();
    Optional<Boolean> smtpAlertVrrp = Optional.empty();
    Optional<Boolean> smtpAlertChecker = Optional.empty();

    GlobalDraft(String hostName) {
      this.hostName = hostName;
      this.routerId = hostName;
      this.heloName = hostName;
    }
  }

  private static InetSocketAddress smtpServer(ConfNode node) throws KeepalivedConfException {
    if (node.args().isEmpty() || node.args().size() > 2) {
      throw node.error(
          "smtp_server: expected ADDRESS [PORT], got " + String.join(" ", node.args()));
    }
    InetAddress address = ConfAddresses.address(node, node.args().get(0));
    int port = GlobalDefs.SMTP_PORT;
    if (node.args().size() == 2) {
      OptionalLong parsed = ConfValues.parseInteger(node.args().get(1));
      if (parsed.isEmpty() || parsed.getAsLong() < 1 || parsed.getAsLong() > 65535) {
        throw node.error("smtp_server: port '" + node.args().get(1) + "' is not 1-65535");
      }
      port = (int) parsed.getAsLong();
    }
    return new InetSocketAddress(address, port);
  }

  private static InetAddress group(ConfNode node, boolean ipv4) throws KeepalivedConfException {
    InetAddress group = ConfAddresses.address(node, node.singleArg());
    if (!group.isMulticastAddress() || (group instanceof Inet4Address) != ipv4) {
      throw node.error(
          node.keyword()
              + ": '"
              + node.singleArg()
              + "' is not an IPv"
              + (ipv4 ? 4 : 6)
              + " multicast address");
    }
    return group;
  }

  // ---- vrrp_instance ----------------------------------------------------------------------------

  /** One instance as read, with where it came from. */
  private record ReadInstance(
      ConfNode node,
      String interfaceName,
      StandardProtocolFamily family,
      Optional<String> password,
      List<CidrAddress> vips,
      VrrpInstanceConfig config) {}

  private VrrpConfig instances(KeepalivedConf conf, SmtpAlerts alerts) {
    tracking.readScripts(conf);
    tracking.readFiles(conf);
    Map<String, ConfNode> names = new LinkedHashMap<>();
    Map<String, KeepalivedSyncGroups.Member> members = new LinkedHashMap<>();
    Map<String, List<ReadInstance>> byInterface = new LinkedHashMap<>();
    Set<String> smtpAlert = new HashSet<>();
    Set<String> declared = new HashSet<>();
    for (ConfNode node : conf.statements("vrrp_instance")) {
      declared.addAll(node.args());
      Optional<ReadInstance> read = instance(node, alerts, smtpAlert);
      if (read.isEmpty()) {
        continue;
      }
      ConfNode first = names.putIfAbsent(read.get().config().name(), node);
      if (first != null) {
        problems.add(
            node.problem(
                "vrrp_instance "
                    + read.get().config().name()
                    + " is defined twice (first at "
                    + first.position()
                    + ")"));
        continue;
      }
      String key = read.get().interfaceName() + "/" + read.get().family();
      byInterface.computeIfAbsent(key, k -> new ArrayList<>()).add(read.get());
      members.put(
          read.get().config().name(),
          new KeepalivedSyncGroups.Member(node, key, read.get().config()));
    }
    Map<String, List<VrrpRunnerConfig.SyncGroupMembers>> groups =
        KeepalivedSyncGroups.read(conf, problems, members, declared);
    List<VrrpRunnerConfig> runners = new ArrayList<>();
    for (Map.Entry<String, List<ReadInstance>> entry : byInterface.entrySet()) {
      runner(entry.getValue(), groups.getOrDefault(entry.getKey(), List.of()))
          .ifPresent(runners::add);
    }
    return new VrrpConfig(runners, smtpAlert);
  }

  private Optional<VrrpRunnerConfig> runner(
      List<ReadInstance> instances, List<VrrpRunnerConfig.SyncGroupMembers> syncGroups) {
    ReadInstance first = instances.get(0);
    for (ReadInstance other : instances) {
      if (!other.password().equals(first.password())) {
        problems.add(
            other
                .node()
                .problem(
                    "instances on "
                        + first.interfaceName()
                        + " share one socket and must share auth_pass (vrrp_instance "
                        + first.config().name()
                        + " at "
                        + first.node().position()
                        + " has another)"));
        return Optional.empty();
      }
    }
    InetAddress group =
        (first.family() == StandardProtocolFamily.INET ? defaults.group4 : defaults.group6)
            .orElse(null);
    List<CidrAddress> vips = new ArrayList<>();
    instances.forEach(i -> i.vips().stream().filter(v -> !vips.contains(v)).forEach(vips::add));
    try {
      return Optional.of(
          new VrrpRunnerConfig(
              first.interfaceName(),
              first.family(),
              group,
              first.password(),
              vips,
              instances.stream().map(ReadInstance::config).toList(),
              syncGroups));
    } catch (IllegalArgumentException e) {
      problems.add(first.node().problem(e.getMessage()));
      return Optional.empty();
    }
  }

  /** What a vrrp_instance block says, filled keyword by keyword. */
  private static final class InstanceDraft {
    String interfaceName;
    int vrid;
    int priority = 100;
    Duration advertInterval = Duration.ofSeconds(1);
    Integer version;
    boolean preempt = true;
    Duration preemptDelay = Duration.ZERO;
    boolean stateMaster;
    Optional<String> password = Optional.empty();
    final List<CidrAddress> vips = new ArrayList<>();
    final List<InetAddress> peers = new ArrayList<>();
    final List<TrackedScript> trackScripts = new ArrayList<>();
    final List<TrackedInterface> trackInterfaces = new ArrayList<>();
    final List<TrackedFile> trackFiles = new ArrayList<>();
  }

  private Optional<ReadInstance> instance(ConfNode node, SmtpAlerts alerts, Set<String> smtpAlert) {
    int before = problems.count();
    String[] name = {null};
    problems.attempt(() -> name[0] = node.singleArg());
    InstanceDraft draft = new InstanceDraft();
    GarpDraft garp = new GarpDraft(defaults.garp);
    List<ConfNode> vipBlocks = new ArrayList<>();
    Optional<Boolean> ownAlert = Optional.empty();
    ScriptsDraft scriptsDraft = new ScriptsDraft();
    for (ConfNode child : node.children()) {
      switch (child.keyword()) {
        case "state" -> problems.attempt(() -> draft.stateMaster = stateMaster(child));
        case "interface" -> problems.attempt(() -> draft.interfaceName = child.singleArg());
        case "virtual_router_id" -> problems.attempt(() -> draft.vrid = child.intArg(1, 255));
        case "priority" -> problems.attempt(() -> draft.priority = child.intArg(1, 255));
        case "advert_int" ->
            problems.attempt(
                () -> draft.advertInterval = child.durationArg(Duration.ofMillis(10), MAX_TIME));
        case "version" -> problems.attempt(() -> draft.version = child.intArg(2, 3));
        case "nopreempt" -> draft.preempt = !problems.flag(child);
        case "preempt_delay" ->
            problems.attempt(() -> draft.preemptDelay = child.durationArg(Duration.ZERO, MAX_TIME));
        case "authentication" -> problems.attempt(() -> draft.password = authentication(child));
        case "virtual_ipaddress" -> vipBlocks.add(child);
        case "unicast_peer" ->
            child
                .children()
                .forEach(
                    peer ->
                        problems.attempt(
                            () -> draft.peers.add(ConfAddresses.address(peer, peer.keyword()))));
        case "smtp_alert" -> {
          try {
            ownAlert = Optional.of(ConfNotify.bool(child));
          } catch (KeepalivedConfException e) {
            e.problems().forEach(problems::add);
          }
        }
        case "notify", "notify_master", "notify_backup", "notify_fault", "notify_stop" ->
            problems.attempt(() -> scriptsDraft.read(child));
        case "track_script" -> draft.trackScripts.addAll(tracking.trackScripts(child));
        case "track_interface" -> draft.trackInterfaces.addAll(tracking.trackInterfaces(child));
        case "track_file" -> draft.trackFiles.addAll(tracking.trackFiles(child));
        case "track_process", "track_bfd", "unicast_src_ip" ->
            problems.add(child.problem(child.keyword() + " is not supported yet"));
        default -> {
          if (!garp.read(child, "")) {
            problems.add(child.unknownKeyword());
          }
        }
      }
    }
    if (name[0] != null && alerts.instance(ownAlert)) {
      smtpAlert.add(name[0]);
    }
    if (name[0] != null && !scriptsDraft.build().equals(Notifications.InstanceScripts.NONE)) {
      scripts.put(name[0], scriptsDraft.build());
    }
    if (draft.interfaceName == null) {
      problems.add(node.problem("vrrp_instance " + name[0] + ": missing 'interface'"));
    }
    if (draft.vrid == 0 && node.children("virtual_router_id").isEmpty()) {
      problems.add(node.problem("vrrp_instance " + name[0] + ": missing 'virtual_router_id'"));
    }
    if (vipBlocks.isEmpty()) {
      problems.add(node.problem("vrrp_instance " + name[0] + ": missing 'virtual_ipaddress'"));
    }
    for (ConfNode block : vipBlocks) {
      for (ConfNode line : block.children()) {
        problems.attempt(() -> draft.vips.add(vip(line, draft.interfaceName)));
      }
    }
    VrrpInstanceConfig.Garp[] garpConfig = {null};
    problems.attempt(() -> garpConfig[0] = garp.build(node));
    if (problems.count() > before) {
      return Optional.empty();
    }
    boolean ipv4 = draft.vips.get(0).address() instanceof Inet4Address;
    if (draft.vips.stream().anyMatch(v -> (v.address() instanceof Inet4Address) != ipv4)) {
      problems.add(node.problem("vrrp_instance " + name[0] + ": mixes IPv4 and IPv6 VIPs"));
      return Optional.empty();
    }
    int version = draft.version != null ? draft.version : defaults.version;
    try {
      VrrpInstanceConfig config =
          VrrpInstanceConfig.builder(name[0], draft.vrid, VrrpRunnerConfig.UNRESOLVED_PRIMARY)
              .version(version)
              .priority(draft.priority)
              .advertInterval(draft.advertInterval)
              .virtualAddresses(
                  draft.vips.stream().map(CidrAddress::address).toArray(InetAddress[]::new))
              .preempt(draft.preempt)
              .preemptDelay(draft.preemptDelay)
              .stateMaster(draft.stateMaster)
              .unicastPeers(draft.peers.toArray(InetAddress[]::new))
              .garp(garpConfig[0])
              .trackScripts(draft.trackScripts)
              .trackInterfaces(draft.trackInterfaces)
              .trackFiles(draft.trackFiles)
              .build();
      return Optional.of(
          new ReadInstance(
              node,
              draft.interfaceName,
              ipv4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6,
              draft.password,
              List.copyOf(draft.vips),
              config));
    } catch (IllegalArgumentException e) {
      problems.add(node.problem(e.getMessage()));
      return Optional.empty();
    }
  }

  /** An instance's notify scripts, filled keyword by keyword. */
  private static final class ScriptsDraft {
    private final Map<String, NotifyScript> byKeyword = new HashMap<>();

    void read(ConfNode child) throws KeepalivedConfException {
      byKeyword.put(child.keyword(), ConfNotify.script(child));
    }

    Notifications.InstanceScripts build() {
      return new Notifications.InstanceScripts(
          Optional.ofNullable(byKeyword.get("notify_master")),
          Optional.ofNullable(byKeyword.get("notify_backup")),
          Optional.ofNullable(byKeyword.get("notify_fault")),
          Optional.ofNullable(byKeyword.get("notify_stop")),
          Optional.ofNullable(byKeyword.get("notify")));
    }
  }

  /** {@code state MASTER} (true) or {@code BACKUP}: how long the instance listens at start. */
  private static boolean stateMaster(ConfNode node) throws KeepalivedConfException {
    String state = node.singleArg();
    if (!state.equals("MASTER") && !state.equals("BACKUP")) {
      throw node.error("state: expected MASTER or BACKUP, got '" + state + "'");
    }
    return state.equals("MASTER");
  }

  private Optional<String> authentication(ConfNode node) throws KeepalivedConfException {
    String type = node.requireString("auth_type");
    if (!type.equals("PASS")) {
      throw node.requireChild("auth_type")
          .error(
              "auth_type: only PASS is supported"
                  + (type.equals("AH") ? " (AH is not supported yet)" : ", got '" + type + "'"));
    }
    for (ConfNode child : node.children()) {
      if (!child.keyword().equals("auth_type") && !child.keyword().equals("auth_pass")) {
        problems.add(child.unknownKeyword());
      }
    }
    return Optional.of(node.requireString("auth_pass"));
  }

  /** One line of virtual_ipaddress: {@code 198.18.0.50[/24] [dev IFACE]}. */
  private static CidrAddress vip(ConfNode line, String interfaceName)
      throws KeepalivedConfException {
    List<String> words = line.words();
    CidrAddress vip = ConfAddresses.cidr(line, words.get(0));
    for (int i = 1; i < words.size(); i += 2) {
      String option = words.get(i);
      if (!option.equals("dev") || i + 1 >= words.size()) {
        throw line.error("virtual_ipaddress: option '" + option + "' is not supported yet");
      }
      if (!words.get(i + 1).equals(interfaceName)) {
        throw line.error(
            "virtual_ipaddress: dev "
                + words.get(i + 1)
                + " is not the instance's interface; VIPs on other interfaces are not supported"
                + " yet");
      }
    }
    return vip;
  }

  /** The gratuitous ARP keywords, global (vrrp_garp_*) or per instance (garp_*). */
  private final class GarpDraft {
    private final VrrpInstanceConfig.Garp base;
    private Integer repeat;
    private Duration delay;
    private Duration refresh;
    private Integer refreshRepeat;

    GarpDraft(VrrpInstanceConfig.Garp base) {
      this.base = base;
    }

    /** Reads {@code child} if it is {@code prefix + garp_master_*}; false if it is not one. */
    boolean read(ConfNode child, String prefix) {
      String keyword = child.keyword();
      if (!keyword.startsWith(prefix + "garp_master_")) {
        return false;
      }
      switch (keyword.substring(prefix.length())) {
        case "garp_master_repeat" -> problems.attempt(() -> repeat = child.intArg(1, 1_000));
        case "garp_master_delay" ->
            problems.attempt(() -> delay = child.durationArg(Duration.ZERO, MAX_TIME));
        case "garp_master_refresh" ->
            problems.attempt(() -> refresh = child.durationArg(Duration.ZERO, MAX_TIME));
        case "garp_master_refresh_repeat" ->
            problems.attempt(() -> refreshRepeat = child.intArg(1, 1_000));
        default -> {
          return false;
        }
      }
      return true;
    }

    VrrpInstanceConfig.Garp build(ConfNode where) throws KeepalivedConfException {
      try {
        return new VrrpInstanceConfig.Garp(
            repeat != null ? repeat : base.masterRepeat(),
            delay != null ? delay : base.masterDelay(),
            refresh != null ? refresh : base.masterRefresh(),
            refreshRepeat != null ? refreshRepeat : base.masterRefreshRepeat());
      } catch (IllegalArgumentException e) {
        if (where == null) {
          throw new IllegalStateException(e);
        }
        throw where.error(e.getMessage());
      }
    }
  }
}
