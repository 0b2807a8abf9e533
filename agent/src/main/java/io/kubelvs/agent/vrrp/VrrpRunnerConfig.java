package io.kubelvs.agent.vrrp;

import io.kubelvs.agent.netlink.CidrAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link VrrpRunner} runs: the VRRP instances of one interface, which share one raw socket
 * and are told apart by VRID, and what they share on the wire.
 *
 * @param interfaceName the interface adverts go out of and VIPs are put on [interface]
 * @param family INET or INET6: the family of the socket, the VIPs and the peers
 * @param group the multicast group adverts go to; null for RFC 5798's 224.0.0.18 / ff02::12
 *     [vrrp_mcast_group4/6]
 * @param password VRRPv2 {@code auth_type PASS}: its first 8 bytes are sent and required on
 *     receive, as keepalived does [auth_pass]; empty for no authentication
 * @param virtualAddresses every instance's VIPs with the prefix length they are added with (/32 or
 *     /128 unless said) [virtual_ipaddress]
 * @param instances the instances; their {@link VrrpInstanceConfig#primaryAddress()} is replaced at
 *     start by the interface's primary address, the one the kernel sends adverts from
 * @param syncGroups instances that change state together ({@link SyncGroup}); a group's members are
 *     all instances of this runner, and an instance is in one group at most [vrrp_sync_group]
 */
public record VrrpRunnerConfig(
    String interfaceName,
    StandardProtocolFamily family,
    InetAddress group,
    Optional<String> password,
    List<CidrAddress> virtualAddresses,
    List<VrrpInstanceConfig> instances,
    List<SyncGroupMembers> syncGroups) {

  /** RFC 5798 §5.1.1.2: the IPv4 multicast address assigned by IANA for VRRP. */
  public static final InetAddress IPV4_GROUP = literal("224.0.0.18");

  /** RFC 5798 §5.1.2.2: the IPv6 link-local scope multicast address for VRRP. */
  public static final InetAddress IPV6_GROUP = literal("ff02::12");

  /** Until start resolves it: what {@link VrrpInstanceConfig#primaryAddress()} may be set to. */
  public static final InetAddress UNRESOLVED_PRIMARY = literal("0.0.0.0");

  /** Linux interface names hold at most IFNAMSIZ - 1 = 15 bytes. */
  private static final int MAX_INTERFACE_NAME_BYTES = 15;

  /** The VRRPv2 authentication data is 8 bytes (RFC 2338 §5.3.10). */
  private static final int PASSWORD_BYTES = 8;

  /** A {@code vrrp_sync_group}: its name and its members, by instance name [group]. */
  public record SyncGroupMembers(String name, List<String> instances) {
    public SyncGroupMembers {
      Objects.requireNonNull(name, "name");
      instances = List.copyOf(instances);
    }
  }

  public VrrpRunnerConfig {
    syncGroups = syncGroups == null ? List.of() : List.copyOf(syncGroups);
    password = password == null ? Optional.empty() : password;
    if (group == null && family != null) {
      group = family == StandardProtocolFamily.INET6 ? IPV6_GROUP : IPV4_GROUP;
    }
    virtualAddresses = virtualAddresses == null ? List.of() : List.copyOf(virtualAddresses);
    instances = instances == null ? List.of() : List.copyOf(instances);
    List<String> problems = new ArrayList<>();
    checkInterface(interfaceName, family, group, password, problems);
    checkInstances(family, password, virtualAddresses, instances, problems);
    checkTracking(instances, syncGroups, problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "VRRP on " + interfaceName + ": " + String.join("; ", problems));
    }
  }

  /** Without sync groups. */
  public VrrpRunnerConfig(
      String interfaceName,
      StandardProtocolFamily family,
      InetAddress group,
      Optional<String> password,
      List<CidrAddress> virtualAddresses,
      List<VrrpInstanceConfig> instances) {
    this(interfaceName, family, group, password, virtualAddresses, instances, List.of());
  }

  /** With the default group and each VIP a single address (/32, /128). */
  public static VrrpRunnerConfig of(
      String interfaceName, StandardProtocolFamily family, List<VrrpInstanceConfig> instances) {
    List<CidrAddress> vips =
        instances.stream()
            .flatMap(i -> i.virtualAddresses().stream())
            .distinct()
            .map(a -> new CidrAddress(a, a instanceof Inet4Address ? 32 : 128))
            .toList();
    return new VrrpRunnerConfig(interfaceName, family, null, Optional.empty(), vips, instances);
  }

  public VrrpRunnerConfig withGroup(InetAddress newGroup) {
    return new VrrpRunnerConfig(
        interfaceName, family, newGroup, password, virtualAddresses, instances, syncGroups);
  }

  public VrrpRunnerConfig withPassword(String newPassword) {
    return new VrrpRunnerConfig(
        interfaceName,
        family,
        group,
        Optional.of(newPassword),
        virtualAddresses,
        instances,
        syncGroups);
  }

  public VrrpRunnerConfig withVirtualAddresses(List<CidrAddress> newVirtualAddresses) {
    return new VrrpRunnerConfig(
        interfaceName, family, group, password, newVirtualAddresses, instances, syncGroups);
  }

  public VrrpRunnerConfig withSyncGroups(List<SyncGroupMembers> newSyncGroups) {
    return new VrrpRunnerConfig(
        interfaceName, family, group, password, virtualAddresses, instances, newSyncGroups);
  }

  /** The 8 bytes of VRRPv2 Authentication Data: the password's first 8 bytes, zero-padded. */
  public Optional<byte[]> authData() {
    return password.map(p -> Arrays.copyOf(p.getBytes(StandardCharsets.UTF_8), PASSWORD_BYTES));
  }

  /** The prefix length {@code vip} is added with. */
  public CidrAddress prefixed(InetAddress vip) {
    // A loop, not a stream: this runs on a takeover, where each lambda's first use costs a ms.
    for (CidrAddress cidr : virtualAddresses) {
      if (cidr.address().equals(vip)) {
        return cidr;
      }
    }
    throw new IllegalArgumentException(vip + " is not a configured VIP");
  }

  private static void checkInterface(
      String name,
      StandardProtocolFamily family,
      InetAddress group,
      Optional<String> password,
      List<String> problems) {
    if (name == null
        || name.isBlank()
        || name.getBytes(StandardCharsets.UTF_8).length > MAX_INTERFACE_NAME_BYTES) {
      problems.add("interface \"" + name + "\" is not an interface name of 1-15 bytes");
    }
    if (family != StandardProtocolFamily.INET && family != StandardProtocolFamily.INET6) {
      problems.add("family " + family + " is not INET or INET6");
    } else if (!group.isMulticastAddress() || isIpv4(group) != isIpv4(family)) {
      problems.add(
          "mcast_group " + group.getHostAddress() + " is not a multicast address of " + family);
    }
    if (password.isPresent() && password.get().isEmpty()) {
      problems.add("auth_pass is empty");
    }
  }

  private static void checkInstances(
      StandardProtocolFamily family,
      Optional<String> password,
      List<CidrAddress> vips,
      List<VrrpInstanceConfig> instances,
      List<String> problems) {
    if (instances.isEmpty()) {
      problems.add("no vrrp_instance");
    }
    Set<InetAddress> prefixed = new HashSet<>();
    for (CidrAddress vip : vips) {
      if (!prefixed.add(vip.address())) {
        problems.add("virtual_ipaddress " + vip.address().getHostAddress() + " is listed twice");
      }
    }
    Map<Integer, String> vrids = new HashMap<>();
    Set<String> names = new HashSet<>();
    Set<InetAddress> used = new HashSet<>();
    for (VrrpInstanceConfig instance : instances) {
      String at = "instance " + instance.name() + ": ";
      if (!names.add(instance.name())) {
        problems.add(at + "name is used by another instance");
      }
      String other = vrids.putIfAbsent(instance.vrid(), instance.name());
      if (other != null) {
        problems.add(at + "virtual_router_id " + instance.vrid() + " is also " + other + "'s");
      }
      if (instance.version() == 2 && family == StandardProtocolFamily.INET6) {
        problems.add(at + "version 2 is IPv4 only (RFC 3768)");
      }
      if (instance.version() == 3 && password.isPresent()) {
        problems.add(at + "auth_pass is set, but version 3 has no authentication (RFC 5798 §9)");
      }
      for (InetAddress vip : instance.virtualAddresses()) {
        used.add(vip);
        if (family != null && isIpv4(vip) != isIpv4(family)) {
          problems.add(at + "virtual_ipaddress " + vip.getHostAddress() + " is not " + family);
        } else if (!prefixed.contains(vip)) {
          problems.add(
              at + "virtual_ipaddress " + vip.getHostAddress() + " has no entry with a prefix");
        }
      }
      for (InetAddress peer : instance.unicastPeers()) {
        if (family != null && isIpv4(peer) != isIpv4(family)) {
          problems.add(at + "unicast_peer " + peer.getHostAddress() + " is not " + family);
        }
      }
    }
    for (CidrAddress vip : vips) {
      if (!used.contains(vip.address())) {
        problems.add("virtual_ipaddress " + vip + " belongs to no instance");
      }
    }
  }

  /** Groups name this runner's instances once each; a script tracked twice runs the same. */
  private static void checkTracking(
      List<VrrpInstanceConfig> instances,
      List<SyncGroupMembers> syncGroups,
      List<String> problems) {
    Set<String> names = new HashSet<>();
    instances.forEach(i -> names.add(i.name()));
    Map<String, String> groupOf = new HashMap<>();
    for (SyncGroupMembers group : syncGroups) {
      for (String member : group.instances()) {
        if (!names.contains(member)) {
          problems.add(
              "sync group " + group.name() + ": no instance " + member + " on this runner");
        }
        String other = groupOf.putIfAbsent(member, group.name());
        if (other != null) {
          problems.add(
              "sync group " + group.name() + ": instance " + member + " is in " + other + " too");
        }
      }
    }
    Map<String, TrackedFile> files = new HashMap<>();
    for (VrrpInstanceConfig instance : instances) {
      for (TrackedFile file : instance.trackFiles()) {
        TrackedFile first = files.putIfAbsent(file.name(), file);
        if (first != null && !first.withWeight(0).equals(file.withWeight(0))) {
          problems.add("track file " + file.name() + " is tracked with two different definitions");
        }
      }
    }
    Map<String, TrackedScript> scripts = new HashMap<>();
    for (VrrpInstanceConfig instance : instances) {
      for (TrackedScript script : instance.trackScripts()) {
        TrackedScript first = scripts.putIfAbsent(script.name(), script);
        if (first != null && !first.sameRun(script)) {
          problems.add("script " + script.name() + " is tracked with two different definitions");
        }
      }
    }
  }

  private static boolean isIpv4(InetAddress address) {
    return address instanceof Inet4Address;
  }

  private static boolean isIpv4(StandardProtocolFamily family) {
    return family == StandardProtocolFamily.INET;
  }

  /** {@code config} with the interface's primary address, once the runner has resolved it. */
  static VrrpInstanceConfig withPrimaryAddress(VrrpInstanceConfig config, InetAddress primary) {
    return new VrrpInstanceConfig(
        config.name(),
        config.version(),
        config.vrid(),
        config.priority(),
        config.advertInterval(),
        Objects.requireNonNull(primary, "primary"),
        config.virtualAddresses(),
        config.preempt(),
        config.preemptDelay(),
        config.unicastPeers(),
        config.garp(),
        config.handOverWait(),
        config.trackScripts(),
        config.trackInterfaces(),
        config.trackFiles(),
        config.stateMaster());
  }

  private static InetAddress literal(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException impossible) {
      throw new AssertionError(impossible);
    }
  }
}
