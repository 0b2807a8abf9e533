package io.kubelvs.agent.kube;

import io.kubelvs.agent.ipvs.AddressFamily;
import io.kubelvs.agent.ipvs.IpvsProtocol;
import io.kubelvs.agent.ipvs.IpvsService;
import io.kubelvs.agent.ipvs.ServiceFlags;
import io.kubelvs.agent.ipvs.ServiceKey;
import io.kubelvs.api.v1alpha1.ForwardingMethod;
import io.kubelvs.api.v1alpha1.IpFamily;
import io.kubelvs.api.v1alpha1.Persistence;
import io.kubelvs.api.v1alpha1.Protocol;
import io.kubelvs.api.v1alpha1.RealServer;
import io.kubelvs.api.v1alpha1.Scheduler;
import io.kubelvs.api.v1alpha1.SchedulerFlag;
import io.kubelvs.api.v1alpha1.Tunnel;
import io.kubelvs.api.v1alpha1.TunnelType;
import io.kubelvs.api.v1alpha1.VirtualServer;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The IPVS side of a Director's virtual server: the key the kernel knows the service by ({@code
 * vip}, {@code port}, {@code protocol}, or {@code fwmark} with {@code ipFamily}) and its settings
 * ({@code scheduler}, {@code schedulerFlags}, {@code persistence}, {@code onePacketScheduling}).
 */
final class ServiceKeys {
  /** The schema's default persistence timeout, also keepalived's (persistence_timeout alone). */
  static final Duration DEFAULT_PERSISTENCE = Duration.ofMinutes(6);

  private ServiceKeys() {}

  /** {@code vip}, {@code port} and {@code protocol}, or {@code fwmark} and {@code ipFamily}. */
  static Optional<ServiceKey> of(String path, VirtualServer vs, SpecProblems problems) {
    if (vs.vip() != null && vs.fwmark() != null) {
      problems.add(
          path + ".fwmark",
          "set together with vip; a service is matched by address and port or by firewall mark");
      return Optional.empty();
    }
    if (vs.vip() == null && vs.fwmark() == null) {
      problems.add(path, "set vip and port, or fwmark");
      return Optional.empty();
    }
    if (vs.fwmark() != null) {
      return fwmark(path, vs, problems);
    }
    int before = problems.count();
    Optional<InetAddress> vip = problems.read(path + ".vip", () -> ApiValues.address(vs.vip()));
    Optional<Integer> port = problems.require(path + ".port", vs.port());
    vip.ifPresent(
        address -> {
          boolean ipv4 = address instanceof Inet4Address;
          if (vs.ipFamily() != null && (vs.ipFamily() == IpFamily.IPv4) != ipv4) {
            problems.add(
                path + ".ipFamily",
                vs.ipFamily() + " does not match the vip " + address.getHostAddress());
          }
        });
    if (problems.count() > before) {
      return Optional.empty();
    }
    IpvsProtocol protocol =
        IpvsProtocol.valueOf((vs.protocol() == null ? Protocol.TCP : vs.protocol()).name());
    return problems.read(
        path + ".port", () -> new ServiceKey.Address(protocol, vip.get(), port.get()));
  }

  private static Optional<ServiceKey> fwmark(String path, VirtualServer vs, SpecProblems problems) {
    int before = problems.count();
    if (vs.port() != null) {
      problems.add(path + ".port", "does not apply to a fwmark service; its packets keep theirs");
    }
    if (vs.protocol() != null) {
      problems.add(
          path + ".protocol", "does not apply to a fwmark service; the mark matches any protocol");
    }
    if (problems.count() > before) {
      return Optional.empty();
    }
    AddressFamily family =
        vs.ipFamily() == IpFamily.IPv6 ? AddressFamily.INET6 : AddressFamily.INET;
    return problems.read(path + ".fwmark", () -> new ServiceKey.Fwmark(family, vs.fwmark()));
  }

  /** The service's scheduler, flags and persistence. */
  static Optional<IpvsService> service(
      String path, VirtualServer vs, ServiceKey key, SpecProblems problems) {
    int before = problems.count();
    Optional<Scheduler> scheduler = problems.require(path + ".scheduler", vs.scheduler());
    int flags =
        scheduler.map(s -> schedulerFlags(path, s, vs.schedulerFlags(), problems)).orElse(0);
    if (Boolean.TRUE.equals(vs.onePacketScheduling())) {
      if (key instanceof ServiceKey.Address address && address.protocol() != IpvsProtocol.UDP) {
        problems.add(
            path + ".onePacketScheduling",
            "needs protocol UDP, got " + address.protocol() + " (keepalived ops)");
      }
      flags |= ServiceFlags.ONE_PACKET;
    }
    int timeout = 0;
    int netmask = IpvsService.defaultNetmask(key.family());
    Persistence persistence = vs.persistence();
    if (persistence != null) {
      timeout = persistenceTimeout(path + ".persistence.timeout", persistence.timeout(), problems);
      if (persistence.netmask() != null) {
        netmask = netmask(path + ".persistence.netmask", persistence.netmask(), key, problems);
      }
      flags |= ServiceFlags.PERSISTENT;
    }
    if (problems.count() > before) {
      return Optional.empty();
    }
    return Optional.of(
        new IpvsService(key, ApiValues.jsonName(scheduler.get()), flags, timeout, netmask));
  }

  /**
   * {@code tunnel} applies to TUN forwarding; the engine tunnels by IPIP, the kernel's default, so
   * any other encapsulation is refused rather than programmed as IPIP.
   */
  static void checkTunnel(String path, VirtualServer vs, SpecProblems problems) {
    Tunnel tunnel = vs.tunnel();
    if (tunnel == null) {
      return;
    }
    List<RealServer> realServers = vs.realServers() == null ? List.of() : vs.realServers();
    boolean tun =
        realServers.stream().anyMatch(rs -> rs != null && rs.forwarding() == ForwardingMethod.TUN)
            || (vs.sorryServer() != null && vs.sorryServer().forwarding() == ForwardingMethod.TUN);
    if (!tun) {
      problems.add(path + ".tunnel", "applies to TUN forwarding only; no real server uses it");
    }
    if (tunnel.type() != null && tunnel.type() != TunnelType.IPIP) {
      problems.add(
          path + ".tunnel.type",
          ApiValues.jsonName(tunnel.type()) + " is not supported yet; the engine tunnels by ipip");
    }
    if (tunnel.port() != null) {
      problems.add(path + ".tunnel.port", "is not supported yet; it belongs to gue tunnels");
    }
    if (tunnel.checksum() != null) {
      problems.add(path + ".tunnel.checksum", "is not supported yet; it belongs to gue and gre");
    }
  }

  /**
   * flag-1..3 are IP_VS_SVC_F_SCHED1..3 for any scheduler; sh-* and mh-* name the same bits for the
   * one scheduler that reads them (ipvsadm -b).
   */
  private static int schedulerFlags(
      String path, Scheduler scheduler, List<SchedulerFlag> written, SpecProblems problems) {
    int flags = 0;
    List<SchedulerFlag> all = written == null ? List.of() : written;
    for (int i = 0; i < all.size(); i++) {
      SchedulerFlag flag = all.get(i);
      String at = path + ".schedulerFlags[" + i + "]";
      if (flag == null) {
        problems.add(at, "missing");
        continue;
      }
      Scheduler needs =
          switch (flag) {
            case SH_FALLBACK, SH_PORT -> Scheduler.SOURCE_HASHING;
            case MH_FALLBACK, MH_PORT -> Scheduler.MAGLEV_HASHING;
            default -> scheduler;
          };
      if (needs != scheduler) {
        problems.add(
            at,
            ApiValues.jsonName(flag)
                + " is a flag of the "
                + ApiValues.jsonName(needs)
                + " scheduler, not of "
                + ApiValues.jsonName(scheduler));
      }
      flags |=
          switch (flag) {
            case FLAG_1, SH_FALLBACK, MH_FALLBACK -> ServiceFlags.SCHED1;
            case FLAG_2, SH_PORT, MH_PORT -> ServiceFlags.SCHED2;
            case FLAG_3 -> ServiceFlags.SCHED3;
          };
    }
    return flags;
  }

  /** Whole seconds, as ipvsadm -p takes them. */
  private static int persistenceTimeout(String path, String text, SpecProblems problems) {
    Optional<Duration> timeout =
        problems.read(path, () -> ApiValues.duration(text, DEFAULT_PERSISTENCE));
    if (timeout.isEmpty()) {
      return 0;
    }
    Duration value = timeout.get();
    if (value.toNanos() % 1_000_000_000L != 0
        || value.toSeconds() < 1
        || value.toSeconds() > Integer.MAX_VALUE) {
      problems.add(path, "must be whole seconds, 1s or more, got " + ApiValues.text(value));
      return 0;
    }
    return (int) value.toSeconds();
  }

  /**
   * persistence_granularity as the kernel takes it: an IPv4 netmask's bits in host order, or an
   * IPv6 prefix length (ipvsadm -M).
   */
  private static int netmask(String path, String text, ServiceKey key, SpecProblems problems) {
    if (key.family() == AddressFamily.INET6) {
      if (text.matches("\\d{1,3}")
          && Integer.parseInt(text) >= 1
          && Integer.parseInt(text) <= 128) {
        return Integer.parseInt(text);
      }
      problems.add(path, "\"" + text + "\" is not a prefix length 1-128, as an IPv6 service needs");
      return 0;
    }
    Optional<InetAddress> mask =
        text.contains(".") ? problems.read(path, () -> ApiValues.address(text)) : Optional.empty();
    if (mask.isEmpty() || !(mask.get() instanceof Inet4Address)) {
      if (!text.contains(".")) {
        problems.add(
            path,
            "\""
                + text
                + "\" is not an IPv4 netmask such as 255.255.255.0, as an IPv4"
                + " service needs");
      }
      return 0;
    }
    int value = 0;
    for (byte b : mask.get().getAddress()) {
      value = value << 8 | (b & 0xff);
    }
    return value;
  }
}
