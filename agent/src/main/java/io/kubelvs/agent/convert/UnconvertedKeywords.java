package io.kubelvs.agent.convert;

import io.kubelvs.agent.config.ConfNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Takes out of keepalived.conf what the resources have no field for, with a note naming each
 * keyword and why, so that the agent's own reader can read the rest as {@code check} would. A
 * keyword neither here nor known to that reader stays in and is refused by it: a typo is an error,
 * not a comment.
 */
final class UnconvertedKeywords {
  private static final String SCRIPTS =
      "kubelvs runs no scripts; watch the resources' status and Events instead";
  private static final String TRACKING =
      "kubelvs tracks no interfaces, scripts, files or processes: nothing lowers a director's"
          + " priority but its own failure";
  private static final String NO_FIELD = "no field in the kubelvs API";

  private static final String CHECKER = "(checker)";

  /** Per block keyword ("" for the top level): the keywords without a field, and why. */
  private static final Map<String, Map<String, String>> WITHOUT_FIELD =
      Map.of(
          "",
          Map.of(
              "vrrp_sync_group",
              "kubelvs has no sync groups: each VirtualService's VIP fails over on its own",
              "vrrp_script",
              TRACKING,
              "vrrp_track_process",
              TRACKING,
              "vrrp_track_file",
              TRACKING,
              "virtual_server_group",
              "kubelvs has no virtual server groups: write one VirtualService per address",
              "static_ipaddress",
              "kubelvs manages VIPs and IPVS only, not a node's own addresses",
              "static_routes",
              "kubelvs manages VIPs and IPVS only, not a node's routes"),
          "global_defs",
          Map.ofEntries(
              Map.entry("script_user", SCRIPTS),
              Map.entry("enable_script_security", SCRIPTS),
              Map.entry("lvs_id", "the pool's name stands for it"),
              Map.entry(
                  "lvs_flush",
                  "the agents never flush IPVS: they change only the services they own"),
              Map.entry(
                  "lvs_flush_on_stop",
                  "the agents leave IPVS as it is on stop (standalone: run --flush-on-stop)"),
              Map.entry("lvs_sync_daemon", NO_FIELD + " (IPVS connection sync)"),
              Map.entry("lvs_timeouts", NO_FIELD + " (IPVS timeouts)"),
              Map.entry("vrrp_skip_check_adv_addr", NO_FIELD),
              Map.entry("vrrp_strict", NO_FIELD),
              Map.entry("vrrp_check_unicast_src", NO_FIELD),
              Map.entry("vrrp_iptables", "the agents add no firewall rules"),
              Map.entry("vrrp_garp_interval", "not converted yet: set vrrp.gratuitousArp.interval"),
              Map.entry("vrrp_gna_interval", "not converted yet: set vrrp.gratuitousArp.interval"),
              Map.entry("enable_traps", NO_FIELD + " (SNMP)"),
              Map.entry("max_auto_priority", NO_FIELD + " (keepalived's process scheduling)"),
              Map.entry("vrrp_priority", NO_FIELD + " (keepalived's process scheduling)"),
              Map.entry("checker_priority", NO_FIELD + " (keepalived's process scheduling)"),
              Map.entry("vrrp_no_swap", NO_FIELD + " (keepalived's process scheduling)"),
              Map.entry("checker_no_swap", NO_FIELD + " (keepalived's process scheduling)"),
              Map.entry("dynamic_interfaces", NO_FIELD)),
          "vrrp_instance",
          Map.ofEntries(
              Map.entry("notify", SCRIPTS),
              Map.entry("notify_master", SCRIPTS),
              Map.entry("notify_backup", SCRIPTS),
              Map.entry("notify_fault", SCRIPTS),
              Map.entry("notify_stop", SCRIPTS),
              Map.entry("track_interface", TRACKING),
              Map.entry("track_script", TRACKING),
              Map.entry("track_file", TRACKING),
              Map.entry("track_process", TRACKING),
              Map.entry("dont_track_primary", TRACKING),
              Map.entry("unicast_src_ip", "the agents send from the interface's primary address"),
              Map.entry("mcast_src_ip", "the agents send from the interface's primary address"),
              Map.entry("use_vmac", NO_FIELD + " (VMAC interfaces)"),
              Map.entry("vmac_xmit_base", NO_FIELD + " (VMAC interfaces)"),
              Map.entry("native_ipv6", NO_FIELD),
              Map.entry("accept", NO_FIELD),
              Map.entry("no_accept", NO_FIELD),
              Map.entry("strict_mode", NO_FIELD),
              Map.entry("skip_check_adv_addr", NO_FIELD),
              Map.entry("debug", NO_FIELD),
              Map.entry("garp_interval", "not converted yet: set vrrp.gratuitousArp.interval"),
              Map.entry("gna_interval", "not converted yet: set vrrp.gratuitousArp.interval"),
              Map.entry("virtual_routes", "kubelvs manages VIPs and IPVS only, not routes"),
              Map.entry("virtual_rules", "kubelvs manages VIPs and IPVS only, not rules"),
              Map.entry(
                  "virtual_ipaddress_excluded",
                  "VIPs kept out of adverts have no field; list them in a VirtualService's vip")),
          "virtual_server",
          Map.of(
              "quorum_up", SCRIPTS,
              "quorum_down", SCRIPTS,
              "ha_suspend", NO_FIELD,
              "smtp_alert", NO_FIELD + " (mail on real server changes)",
              "sorry_server_lvs_method", "not converted yet: set sorryServer.forwarding"),
          "real_server",
          Map.of(
              "notify_up", SCRIPTS,
              "notify_down", SCRIPTS,
              "smtp_alert", NO_FIELD + " (mail on real server changes)"),
          CHECKER,
          Map.of("user", "commands run as the agent's user", "log_all_failures", NO_FIELD),
          "url",
          Map.of(
              "regex", NO_FIELD + " (a digest of the body is)",
              "regex_no_match", NO_FIELD + " (a digest of the body is)",
              "regex_options", NO_FIELD + " (a digest of the body is)",
              "regex_stack", NO_FIELD + " (a digest of the body is)"));

  /**
   * Keywords the agent's reader does not take but the resources have fields for: the converter
   * reads them from the written file itself.
   */
  static final Map<String, Set<String>> CONVERTED_FROM_THE_FILE =
      Map.of(
          "virtual_server",
          Set.of("sh-port", "sh-fallback", "mh-port", "mh-fallback", "flag-1", "flag-2", "flag-3"),
          "real_server",
          Set.of("uthreshold", "lthreshold"));

  private static final Set<String> CHECKERS =
      Set.of(
          "HTTP_GET", "SSL_GET", "TCP_CHECK", "MISC_CHECK", "DNS_CHECK", "UDP_CHECK", "PING_CHECK");

  private final List<ConversionNote> notes;

  /** The interface of the vrrp_instance being stripped, if written plainly. */
  private Optional<String> instanceInterface = Optional.empty();

  private UnconvertedKeywords(List<ConversionNote> notes) {
    this.notes = notes;
  }

  /**
   * {@code statement}, a top-level statement, without what has no field; empty if nothing of it is
   * left. The notes on what was taken out are added to {@code notes}.
   */
  static Optional<ConfNode> strip(ConfNode statement, List<ConversionNote> notes) {
    return new UnconvertedKeywords(notes).strip(statement, "");
  }

  private Optional<ConfNode> strip(ConfNode node, String block) {
    String why = WITHOUT_FIELD.getOrDefault(block, Map.of()).get(node.keyword());
    if (why != null) {
      notes.add(ConversionNote.at(node, why));
      return Optional.empty();
    }
    if (CONVERTED_FROM_THE_FILE.getOrDefault(block, Set.of()).contains(node.keyword())) {
      return Optional.empty();
    }
    if (block.isEmpty()
        && node.keyword().equals("virtual_server")
        && node.args().size() == 2
        && node.args().get(0).equals("group")) {
      notes.add(
          ConversionNote.at(
              node,
              "kubelvs has no virtual server groups: write one VirtualService per address of group "
                  + node.args().get(1)));
      return Optional.empty();
    }
    if (block.equals("vrrp_instance") && node.keyword().equals("authentication") && isAh(node)) {
      notes.add(
          ConversionNote.at(node, "auth_type AH has no field: only PASS, and only in VRRPv2"));
      return Optional.empty();
    }
    if (!node.block()) {
      return Optional.of(node);
    }
    if (block.isEmpty() && node.keyword().equals("vrrp_instance")) {
      instanceInterface =
          node.children("interface").stream()
              .filter(i -> i.args().size() == 1)
              .map(i -> i.args().get(0))
              .findFirst();
    }
    String inner = CHECKERS.contains(node.keyword()) ? CHECKER : node.keyword();
    List<ConfNode> children = new ArrayList<>();
    ConfNode firstChecker = null;
    ConfNode firstUrl = null;
    for (ConfNode child : node.children()) {
      if (inner.equals("real_server") && CHECKERS.contains(child.keyword())) {
        if (firstChecker != null) {
          notes.add(
              ConversionNote.at(
                  child,
                  "a real server has one check in the API: only "
                      + firstChecker.keyword()
                      + " at "
                      + firstChecker.position()
                      + " is converted"));
          continue;
        }
        firstChecker = child;
      }
      if (inner.equals(CHECKER) && child.keyword().equals("url")) {
        if (firstUrl != null) {
          notes.add(
              ConversionNote.at(
                  child,
                  "an HTTP check has one url in the API: only the one at "
                      + firstUrl.position()
                      + " is converted"));
          continue;
        }
        firstUrl = child;
      }
      if (inner.equals("virtual_ipaddress")) {
        children.add(vipAddressOnly(child));
        continue;
      }
      strip(child, inner).ifPresent(children::add);
    }
    return Optional.of(new ConfNode(node.keyword(), node.args(), true, children, node.position()));
  }

  /** A line of virtual_ipaddress without its options, unless it only names its own interface. */
  private ConfNode vipAddressOnly(ConfNode line) {
    List<String> options = line.args();
    boolean ownInterface =
        options.size() == 2
            && options.get(0).equals("dev")
            && instanceInterface.equals(Optional.of(options.get(1)));
    if (options.isEmpty() || ownInterface) {
      return line;
    }
    notes.add(
        new ConversionNote(
            line.position(),
            "virtual_ipaddress",
            line.keyword()
                + " "
                + String.join(" ", options)
                + ": a VIP's options have no field: it is added to the pool's interface, alone"));
    return new ConfNode(line.keyword(), List.of(), false, List.of(), line.position());
  }

  private static boolean isAh(ConfNode authentication) {
    return authentication.children("auth_type").stream()
        .anyMatch(t -> t.args().equals(List.of("AH")));
  }
}
