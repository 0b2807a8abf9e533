package io.kubelvs.agent.vrrp;

import io.kubelvs.agent.netlink.Addresses;
import io.kubelvs.agent.netlink.CidrAddress;
import io.kubelvs.agent.netlink.Errno;
import io.kubelvs.agent.netlink.Link;
import io.kubelvs.agent.netlink.LinkMonitor;
import io.kubelvs.agent.netlink.Links;
import io.kubelvs.agent.netlink.MacAddress;
import io.kubelvs.agent.netlink.Netlink;
import io.kubelvs.agent.netlink.NetlinkException;
import io.kubelvs.agent.netlink.NetlinkSocket;
import io.kubelvs.agent.netlink.ObservedAddress;
import io.kubelvs.agent.sys.PacketSocket;
import io.kubelvs.agent.sys.Poller;
import io.kubelvs.agent.sys.RawIpSocket;
import io.kubelvs.agent.sys.RawIpSocketOptions;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel side of a {@link VrrpRunner}: its sockets, and the actions of {@link VrrpAction} that
 * touch them (adverts, VIPs, gratuitous ARP / NA). Opened in the calling thread's network
 * namespace; used by the event loop's thread only. Failures are thrown as the native layer's
 * exceptions, which name the operation; the runner decides what they mean for the instance.
 */
final class VrrpRunnerIo implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VrrpRunnerIo.class);

  private final VrrpRunnerConfig config;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private NetlinkSocket route;
  private LinkMonitor linkMonitor;
  private RawIpSocket raw;
  private PacketSocket packets;
  private Poller poller;
  private Link link;
  private final Map<String, Boolean> trackedLinksUp = new LinkedHashMap<>();
  private InetAddress primaryAddress;

  private VrrpRunnerIo(VrrpRunnerConfig config) {
    this.config = config;
  }

  /** Opens every socket; the link monitor before the link is read, so no change is missed. */
  static VrrpRunnerIo open(VrrpRunnerConfig config) {
    VrrpRunnerIo io = new VrrpRunnerIo(config);
    try {
      io.openAll();
      return io;
    } catch (RuntimeException e) {
      io.close();
      throw e;
    }
  }

  private void openAll() {
    String name = config.interfaceName();
    route = keep(NetlinkSocket.open(Netlink.NETLINK_ROUTE));
    linkMonitor = keep(LinkMonitor.open());
    Links links = new Links(route);
    link = links.byName(name);
    boolean ipv4 = config.family() == StandardProtocolFamily.INET;
    Optional<? extends InetAddress> primary =
        ipv4 ? links.primaryIpv4Address(link) : links.linkLocalIpv6Address(link);
    primaryAddress =
        primary.orElseThrow(
            () ->
                new IllegalStateException(
                    "interface "
                        + name
                        + " has no "
                        + (ipv4 ? "primary IPv4" : "link-local IPv6")
                        + " address to send VRRP adverts from"));
    raw = keep(RawIpSocket.open(RawIpSocketOptions.vrrp(config.family(), name, link.index())));
    if (config.instances().stream().anyMatch(i -> !i.unicast())) {
      raw.joinGroup(config.group());
    }
    for (VrrpInstanceConfig instance : config.instances()) {
      for (TrackedInterface tracked : instance.trackInterfaces()) {
        trackedLinksUp.computeIfAbsent(tracked.interfaceName(), n -> usable(links, n));
      }
    }
    packets = keep(PacketSocket.open(name, link.index()));
    poller = keep(Poller.open());
    encodeOnceAhead();
  }

  /**
   * Encodes each instance's advert and gratuitous ARP / NA frames once, sending nothing, so that
   * the classes of a takeover are loaded and initialised before it: on its first takeover a backup
   * otherwise spent milliseconds loading them while clients waited.
   */
  private void encodeOnceAhead() {
    Optional<byte[]> mac = link.macAddress().map(MacAddress::bytes);
    for (VrrpInstanceConfig instance : config.instances()) {
      packet(instance, instance.priority(), instance.advertInterval())
          .encode(primaryAddress, config.group());
      for (InetAddress vip : instance.virtualAddresses()) {
        mac.ifPresent(bytes -> frame(bytes, vip));
      }
    }
  }

  private <T extends AutoCloseable> T keep(T resource) {
    opened.add(resource);
    return resource;
  }

  Link link() {
    return link;
  }

  /**
   * Whether each tracked interface was up and running when the sockets opened, by name; the link
   * monitor, opened before, reports every change since.
   */
  Map<String, Boolean> trackedLinksUp() {
    return Map.copyOf(trackedLinksUp);
  }

  /** A tracked interface that does not exist is down, as keepalived has it. */
  private static boolean usable(Links links, String name) {
    try {
      return links.byName(name).isUsable();
    } catch (NetlinkException e) {
      if (e.is(Errno.ENODEV)) {
        return false;
      }
      throw e;
    }
  }

  InetAddress primaryAddress() {
    return primaryAddress;
  }

  RawIpSocket raw() {
    return raw;
  }

  LinkMonitor linkMonitor() {
    return linkMonitor;
  }

  Poller poller() {
    return poller;
  }

  /** One advert of {@code instance}'s VIPs, to the group or to each unicast peer. */
  void sendAdvertisement(VrrpInstanceConfig instance, int priority, Duration interval) {
    VrrpPacket packet = packet(instance, priority, interval);
    List<InetAddress> destinations =
        instance.unicast() ? instance.unicastPeers() : List.of(config.group());
    for (InetAddress destination : destinations) {
      raw.send(packet.encode(primaryAddress, destination), destination);
    }
  }

  private VrrpPacket packet(VrrpInstanceConfig instance, int priority, Duration interval) {
    List<InetAddress> vips = instance.virtualAddresses();
    if (instance.version() == 3) {
      return VrrpPacket.v3(instance.vrid(), priority, (int) (interval.toMillis() / 10), vips);
    }
    int seconds = (int) interval.toSeconds();
    return config
        .authData()
        .map(
            auth ->
                new VrrpPacket(
                    2,
                    instance.vrid(),
                    priority,
                    VrrpPacket.AuthType.SIMPLE_TEXT_PASSWORD,
                    auth,
                    seconds * VrrpPacket.CENTISECONDS_PER_SECOND,
                    vips))
        .orElseGet(() -> VrrpPacket.v2(instance.vrid(), priority, seconds, vips));
  }

  /**
   * Adds each VIP and records it in {@code added}. One that is already on the interface was put
   * there by someone else: it is logged and left out of {@code added}, so it is never removed.
   */
  void addVips(String instance, List<InetAddress> vips, Set<InetAddress> added) {
    Addresses addresses = new Addresses(route);
    for (InetAddress vip : vips) {
      if (added.contains(vip)) {
        continue;
      }
      CidrAddress cidr = config.prefixed(vip);
      try {
        addresses.add(link, cidr);
        added.add(vip);
      } catch (NetlinkException e) {
        if (!e.is(Errno.EEXIST)) {
          throw e;
        }
        log.warn(
            "vrrp vip already present, not added and never removed by kubelvs"
                + " interface={} instance={} vip={}",
            link.name(),
            instance,
            cidr);
      }
    }
  }

  /** Removes the VIPs of {@code vips} that are in {@code added}, and only those. */
  void removeVips(String instance, List<InetAddress> vips, Set<InetAddress> added) {
    Addresses addresses = new Addresses(route);
    for (InetAddress vip : vips) {
      if (!added.remove(vip)) {
        continue;
      }
      CidrAddress cidr = config.prefixed(vip);
      try {
        addresses.remove(link, cidr);
      } catch (NetlinkException e) {
        if (!e.is(Errno.EADDRNOTAVAIL)) {
          throw e;
        }
        log.warn(
            "vrrp vip was already gone when removed interface={} instance={} vip={}",
            link.name(),
            instance,
            cidr);
      }
    }
  }

  /** {@code count} gratuitous ARPs (IPv4) or unsolicited NAs (IPv6) per VIP, back to back. */
  void sendGratuitous(List<InetAddress> vips, int count) {
    Optional<MacAddress> linkMac = link.macAddress();
    if (linkMac.isEmpty()) {
      throw new IllegalStateException(
          "interface " + link.name() + " has no Ethernet address for GARP");
    }
    byte[] mac = linkMac.get().bytes();
    List<byte[]> frames = new ArrayList<>();
    for (InetAddress vip : vips) {
      frames.add(frame(mac, vip));
    }
    for (int i = 0; i < count; i++) {
      for (byte[] frame : frames) {
        packets.send(frame);
      }
    }
  }

  private static byte[] frame(byte[] mac, InetAddress vip) {
    return vip instanceof Inet4Address v4
        ? GratuitousArpFrame.build(mac, v4)
        : NeighborAdvertisementFrame.build(mac, (Inet6Address) vip, false);
  }

  /** The addresses on the interface now. */
  Set<CidrAddress> addresses() {
    Set<CidrAddress> present = new LinkedHashSet<>();
    for (ObservedAddress address : new Addresses(route).list(link)) {
      present.add(address.address());
    }
    return present;
  }

  /** Removes an address this agent added in an earlier run and no instance configures any more. */
  void removeLeftover(CidrAddress address) {
    new Addresses(route).remove(link, address);
  }

  /** Closes every socket opened, the last first; the event loop must have stopped using them. */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("closing VRRP sockets on " + config.interfaceName());
        }
        failure.addSuppressed(e);
      }
    }
    opened.clear();
    if (failure != null) {
      throw failure;
    }
  }
}
