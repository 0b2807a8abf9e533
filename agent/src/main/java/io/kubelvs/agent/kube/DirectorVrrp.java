package io.kubelvs.agent.kube;

import io.kubelvs.agent.config.SmtpAlerts;
import io.kubelvs.agent.config.VrrpConfig;
import io.kubelvs.agent.netlink.CidrAddress;
import io.kubelvs.agent.vrrp.VrrpInstanceConfig;
import io.kubelvs.agent.vrrp.VrrpRunnerConfig;
import io.kubelvs.api.v1alpha1.GratuitousArp;
import io.kubelvs.api.v1alpha1.SecretKeySelector;
import io.kubelvs.api.v1alpha1.VrrpAuthentication;
import io.kubelvs.api.v1alpha1.VrrpInstance;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A Director's {@code vrrpInstances} as the VRRP core's runners: one {@link VrrpRunnerConfig} per
 * interface and address family, as {@code KeepalivedVrrp} groups a keepalived.conf's instances,
 * since the instances of one interface share a socket, a multicast group and the VRRPv2 password.
 *
 * <p>Unset fields take the schema's defaults, which are keepalived's: preemption on, no preempt
 * delay, the group of RFC 5798 when neither {@code multicastGroup} nor {@code unicastPeers} is
 * given, and keepalived's gratuitous ARP settings. What the schema cannot say is refused here: a
 * name or VRID used twice (on one interface), a VIP held by two instances, both a multicast group
 * and unicast peers, instances of one interface disagreeing on their group or password, PASS
 * authentication with VRRPv3, and a {@code gratuitousArp.interval} (the engine sends a burst back
 * to back).
 */
final class DirectorVrrp {
  private static final String PATH = "spec.vrrpInstances";

  private final SpecProblems problems;
  private final SecretReader secrets;
  private final InterfaceSelectors selectors;

  /**
   * The VRRP side of the spec.
   *
   * @param interfaces the interface each instance runs on, by instance name
   */
  record Result(VrrpConfig vrrp, Map<String, String> interfaces) {}

  private DirectorVrrp(SpecProblems problems, SecretReader secrets, InterfaceResolver interfaces) {
    this.problems = problems;
    this.secrets = secrets;
    this.selectors = new InterfaceSelectors(interfaces, problems);
  }

  /**
   * @param mailStateChanges whether the spec has e-mail notification: then every instance mails its
   *     state changes, as keepalived's {@code smtp_alert} in each vrrp_instance
   */
  static Result map(
      List<VrrpInstance> instances,
      boolean mailStateChanges,
      SecretReader secrets,
      InterfaceResolver interfaces,
      SpecProblems problems) {
    DirectorVrrp mapper = new DirectorVrrp(problems, secrets, interfaces);
    Map<String, String> names = new HashMap<>();
    Map<InetAddress, String> vipHolders = new HashMap<>();
    Map<String, List<VrrpRunners.Member>> byInterface = new LinkedHashMap<>();
    Map<String, String> interfaceOf = new LinkedHashMap<>();
    Set<String> smtpAlert = new HashSet<>();
    for (int i = 0; i < instances.size(); i++) {
      VrrpInstance instance = instances.get(i);
      String path = SpecProblems.entry(PATH, i, instance == null ? null : instance.name());
      if (instance == null) {
        problems.add(path, "missing");
        continue;
      }
      if (instance.name() != null) {
        String first = names.putIfAbsent(instance.name(), PATH + "[" + i + "]");
        if (first != null) {
          problems.add(
              PATH + "[" + i + "].name",
              "\"" + instance.name() + "\" is already the name of " + first);
          continue;
        }
      }
      mapper.checkVips(path, instance, vipHolders);
      if (instance.name() != null && SmtpAlerts.UNSET.instance(Optional.of(mailStateChanges))) {
        smtpAlert.add(instance.name());
      }
      mapper
          .instance(path, instance)
          .ifPresent(
              mapped -> {
                byInterface
                    .computeIfAbsent(
                        mapped.interfaceName() + "/" + mapped.family(), k -> new ArrayList<>())
                    .add(mapped);
                interfaceOf.put(mapped.config().name(), mapped.interfaceName());
              });
    }
    List<VrrpRunnerConfig> runners = new ArrayList<>();
    byInterface
        .values()
        .forEach(group -> VrrpRunners.runner(group, problems).ifPresent(runners::add));
    return new Result(new VrrpConfig(runners, smtpAlert), interfaceOf);
  }

  /** Refuses each VIP of {@code instance} that does not parse or another instance holds too. */
  private void checkVips(String path, VrrpInstance instance, Map<InetAddress, String> vipHolders) {
    Set<InetAddress> held = new LinkedHashSet<>();
    List<String> written = instance.vips() == null ? List.of() : instance.vips();
    for (int j = 0; j < written.size(); j++) {
      String at = path + ".vips[" + j + "]";
      String text = written.get(j);
      if (text == null) {
        problems.add(at, "missing");
        continue;
      }
      Optional<CidrAddress> vip = problems.read(at, () -> ApiValues.cidr(text));
      if (vip.isEmpty()) {
        continue;
      }
      InetAddress address = vip.get().address();
      if (!held.add(address)) {
        problems.add(at, address.getHostAddress() + " is listed twice");
        continue;
      }
      String other = vipHolders.putIfAbsent(address, path);
      if (other != null) {
        problems.add(
            at,
            address.getHostAddress()
                + " is also a VIP of "
                + other
                + "; two instances would both add it as masters");
      }
    }
  }

  private Optional<VrrpRunners.Member> instance(String path, VrrpInstance instance) {
    int before = problems.count();
    Optional<String> name = problems.require(path + ".name", instance.name());
    Optional<String> interfaceName =
        selectors.name(path + ".interface", instance.networkInterface());
    Optional<Integer> vrid = inRange(path + ".vrid", instance.vrid(), 1, 255);
    Optional<Integer> priority = inRange(path + ".priority", instance.priority(), 1, 255);
    Optional<Integer> version = inRange(path + ".version", instance.version(), 2, 3);
    Optional<Duration> advert =
        problems
            .require(path + ".advertInterval", instance.advertInterval())
            .flatMap(
                text -> problems.read(path + ".advertInterval", () -> ApiValues.duration(text)));
    Duration preemptDelay =
        problems
            .read(
                path + ".preemptDelay",
                () -> ApiValues.duration(instance.preemptDelay(), Duration.ZERO))
            .orElse(Duration.ZERO);
    Optional<InetAddress> group = group(path, instance);
    List<InetAddress> peers = peers(path, instance);
    Optional<String> password = version.flatMap(v -> password(path, instance, v));
    Optional<VrrpInstanceConfig.Garp> garp =
        garp(path + ".gratuitousArp", instance.gratuitousArp());
    List<CidrAddress> vips = vips(path, instance);
    advert.ifPresent(a -> version.ifPresent(v -> checkAdvertInterval(path, v, a)));
    if (version.orElse(0) == 2 && !vips.isEmpty() && !vips.get(0).isIpv4()) {
      problems.add(path + ".version", "VRRPv2 is IPv4 only (RFC 3768); IPv6 VIPs need version 3");
    }
    // A VIP or a CIDR selector refused elsewhere leaves these empty without a problem here.
    if (problems.count() > before || vips.isEmpty() || interfaceName.isEmpty()) {
      return Optional.empty();
    }
    StandardProtocolFamily family =
        vips.get(0).isIpv4() ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    return problems
        .read(
            path,
            () ->
                VrrpInstanceConfig.builder(
                        name.orElseThrow(), vrid.orElseThrow(), VrrpRunnerConfig.UNRESOLVED_PRIMARY)
                    .version(version.orElseThrow())
                    .priority(priority.orElseThrow())
                    .advertInterval(advert.orElseThrow())
                    .virtualAddresses(
                        vips.stream().map(CidrAddress::address).toArray(InetAddress[]::new))
                    .preempt(!Boolean.FALSE.equals(instance.preempt()))
                    .preemptDelay(preemptDelay)
                    .unicastPeers(peers.toArray(InetAddress[]::new))
                    .garp(garp.orElseThrow())
                    .build())
        .map(
            config ->
                new VrrpRunners.Member(
                    path, interfaceName.orElseThrow(), family, group, password, vips, config));
  }

  private Optional<Integer> inRange(String path, Integer value, int min, int max) {
    Optional<Integer> required = problems.require(path, value);
    if (required.isPresent() && (value < min || value > max)) {
      problems.add(path, "must be " + min + " to " + max + ", got " + value);
      return Optional.empty();
    }
    return required;
  }

  private Optional<InetAddress> group(String path, VrrpInstance instance) {
    if (instance.multicastGroup() == null) {
      return Optional.empty();
    }
    String at = path + ".multicastGroup";
    if (instance.unicastPeers() != null && !instance.unicastPeers().isEmpty()) {
      problems.add(at, "set together with unicastPeers; adverts go either to a group or to peers");
      return Optional.empty();
    }
    Optional<InetAddress> group =
        problems.read(at, () -> ApiValues.address(instance.multicastGroup()));
    if (group.isPresent() && !group.get().isMulticastAddress()) {
      problems.add(at, group.get().getHostAddress() + " is not a multicast address");
      return Optional.empty();
    }
    return group;
  }

  private List<InetAddress> peers(String path, VrrpInstance instance) {
    List<InetAddress> peers = new ArrayList<>();
    List<String> written = instance.unicastPeers() == null ? List.of() : instance.unicastPeers();
    for (int j = 0; j < written.size(); j++) {
      String at = path + ".unicastPeers[" + j + "]";
      String text = written.get(j);
      Optional<InetAddress> peer =
          text == null
              ? problems.require(at, null)
              : problems.read(at, () -> ApiValues.address(text));
      peer.ifPresent(
          p -> {
            if (peers.contains(p)) {
              problems.add(at, p.getHostAddress() + " is listed twice");
            } else {
              peers.add(p);
            }
          });
    }
    return peers;
  }

  /** The PASS password from the Secret, VRRPv2 only (RFC 5798 §9 dropped authentication). */
  private Optional<String> password(String path, VrrpInstance instance, int version) {
    VrrpAuthentication authentication = instance.authentication();
    if (authentication == null) {
      return Optional.empty();
    }
    String at = path + ".authentication";
    if (version != 2) {
      problems.add(at, "PASS authentication exists in VRRPv2 only; version is " + version);
      return Optional.empty();
    }
    SecretKeySelector ref = authentication.passwordSecretRef();
    if (ref == null || ref.name() == null) {
      problems.add(at + ".passwordSecretRef" + (ref == null ? "" : ".name"), "missing");
      return Optional.empty();
    }
    // The schema's default key.
    String key = ref.key() == null ? "password" : ref.key();
    Optional<String> password = secrets.read(ref.name(), key);
    if (password.isEmpty()) {
      problems.add(
          at,
          "Secret "
              + secrets.describe(ref.name())
              + " has no key \""
              + key
              + "\" (or there is no such Secret)");
    } else if (password.get().isEmpty()) {
      problems.add(at, "Secret " + secrets.describe(ref.name()) + " has an empty \"" + key + "\"");
      return Optional.empty();
    }
    return password;
  }

  private Optional<VrrpInstanceConfig.Garp> garp(String path, GratuitousArp garp) {
    VrrpInstanceConfig.Garp defaults = VrrpInstanceConfig.Garp.KEEPALIVED_DEFAULTS;
    if (garp == null) {
      return Optional.of(defaults);
    }
    int before = problems.count();
    Duration interval =
        problems
            .read(path + ".interval", () -> ApiValues.duration(garp.interval(), Duration.ZERO))
            .orElse(Duration.ZERO);
    if (!interval.isZero()) {
      problems.add(
          path + ".interval",
          "is not supported yet: a burst goes out back to back (keepalived garp_interval)");
    }
    Duration delay =
        problems
            .read(
                path + ".masterDelay",
                () -> ApiValues.duration(garp.masterDelay(), defaults.masterDelay()))
            .orElse(defaults.masterDelay());
    Duration refresh =
        problems
            .read(
                path + ".masterRefresh",
                () -> ApiValues.duration(garp.masterRefresh(), defaults.masterRefresh()))
            .orElse(defaults.masterRefresh());
    if (problems.count() > before) {
      return Optional.empty();
    }
    return problems.read(
        path,
        () ->
            new VrrpInstanceConfig.Garp(
                Objects.requireNonNullElse(garp.masterRepeat(), defaults.masterRepeat()),
                delay,
                refresh,
                Objects.requireNonNullElse(
                    garp.masterRefreshRepeat(), defaults.masterRefreshRepeat())));
  }

  /** The VIPs with their prefix lengths, all of one family. */
  private List<CidrAddress> vips(String path, VrrpInstance instance) {
    List<CidrAddress> vips = new ArrayList<>();
    if (instance.vips() == null || instance.vips().isEmpty()) {
      problems.add(path + ".vips", "missing: an instance holds at least one VIP");
      return vips;
    }
    for (String text : instance.vips()) {
      // Each VIP's own problems are reported by vipsOf.
      if (text != null) {
        try {
          CidrAddress vip = ApiValues.cidr(text);
          if (vips.stream().noneMatch(v -> v.address().equals(vip.address()))) {
            vips.add(vip);
          }
        } catch (IllegalArgumentException e) {
          return List.of();
        }
      }
    }
    if (vips.stream().map(CidrAddress::isIpv4).distinct().count() > 1) {
      problems.add(path + ".vips", "mixes IPv4 and IPv6; an instance runs one address family");
    }
    return vips;
  }

  /**
   * VRRPv2 counts the interval in seconds, VRRPv3 in centiseconds (RFC 3768 §5.3.7, 5798 §5.2.7).
   */
  private void checkAdvertInterval(String path, int version, Duration interval) {
    long millis = interval.toMillis();
    boolean valid =
        version == 3
            ? millis >= 10 && millis <= 40_950 && interval.toNanos() % 10_000_000 == 0
            : millis >= 1_000 && millis <= 255_000 && interval.toNanos() % 1_000_000_000 == 0;
    if (!valid) {
      problems.add(
          path + ".advertInterval",
          (version == 3
                  ? "must be 10ms to 40.95s in whole centiseconds for VRRPv3"
                  : "must be whole seconds 1s to 255s for VRRPv2")
              + ", got "
              + ApiValues.text(interval));
    }
  }
}
