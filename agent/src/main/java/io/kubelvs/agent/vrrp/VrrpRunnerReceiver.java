package io.kubelvs.agent.vrrp;

import io.kubelvs.agent.sys.RawIpSocketOptions;
import io.kubelvs.agent.sys.ReceivedDatagram;
import io.kubelvs.agent.vrrp.VrrpRunnerCounters.ReceiveDrop;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receive path of a {@link VrrpRunner} up to the state machine: decodes a datagram, finds the
 * instance by VRID, and applies the checks that need the runner's configuration (RFC 5798 §7.1: TTL
 * 255 in multicast mode; RFC 3768 §7.1: authentication; unicast peers). Every drop is counted by
 * reason: on the instance once the VRID is known, on the runner before.
 */
final class VrrpRunnerReceiver {
  private static final Logger log = LoggerFactory.getLogger(VrrpRunnerReceiver.class);

  /** An advert for an instance's state machine. */
  record Delivery(VrrpRunnerInstance instance, Advertisement advert) {}

  private final VrrpRunnerConfig config;
  private final Map<Integer, VrrpRunnerInstance> byVrid;
  private final Map<DropReason, Long> decodeDrops = new EnumMap<>(DropReason.class);
  private final Map<ReceiveDrop, Long> receiveDrops = new EnumMap<>(ReceiveDrop.class);
  private volatile VrrpRunnerCounters counters = VrrpRunnerCounters.none();

  VrrpRunnerReceiver(VrrpRunnerConfig config, Map<Integer, VrrpRunnerInstance> byVrid) {
    this.config = config;
    this.byVrid = Map.copyOf(byVrid);
  }

  /** Judges {@code length} bytes of {@code buf} that arrived as {@code datagram}. */
  Optional<Delivery> judge(byte[] buf, int length, ReceivedDatagram datagram) {
    VrrpPacket packet;
    InetAddress source;
    int ttl;
    try {
      if (datagram.headerLength() > 0) {
        VrrpDecodedDatagram decoded = VrrpPacket.decodeIpv4Datagram(buf, length);
        packet = decoded.packet();
        source = decoded.source();
        ttl = decoded.ttl();
      } else {
        source = datagram.source();
        packet = VrrpPacket.decode(buf, 0, length, source, datagram.destination());
        ttl = datagram.hopLimit();
      }
    } catch (VrrpDecodeException e) {
      log.debug("vrrp drop interface={} reason={}", config.interfaceName(), e.getMessage());
      decodeDrops.merge(e.reason(), 1L, Long::sum);
      publish();
      return Optional.empty();
    }
    VrrpRunnerInstance instance = byVrid.get(packet.vrid());
    if (instance == null) {
      log.debug(
          "vrrp drop interface={} reason={} vrid={} source={}",
          config.interfaceName(),
          ReceiveDrop.UNKNOWN_VRID,
          packet.vrid(),
          source.getHostAddress());
      receiveDrops.merge(ReceiveDrop.UNKNOWN_VRID, 1L, Long::sum);
      publish();
      return Optional.empty();
    }
    return judge(instance, packet, source, ttl);
  }

  private Optional<Delivery> judge(
      VrrpRunnerInstance instance, VrrpPacket packet, InetAddress source, int ttl) {
    VrrpInstanceConfig settings = instance.config();
    String why = null;
    if (!settings.unicast() && ttl != RawIpSocketOptions.VRRP_HOP_LIMIT) {
      instance.drop(DropReason.BAD_TTL);
      why = DropReason.BAD_TTL + " ttl=" + ttl;
    } else if (packet.version() == 2 && !authenticates(packet)) {
      instance.drop(ReceiveDrop.AUTHENTICATION_MISMATCH);
      why = ReceiveDrop.AUTHENTICATION_MISMATCH + " auth_type=" + packet.authType();
    } else if (settings.unicast() && !settings.unicastPeers().contains(source)) {
      instance.drop(ReceiveDrop.NOT_A_PEER);
      why = ReceiveDrop.NOT_A_PEER.toString();
    }
    if (why != null) {
      log.debug(
          "vrrp drop interface={} instance={} reason={} source={}",
          config.interfaceName(),
          instance.name(),
          why,
          source.getHostAddress());
      instance.snapshot();
      return Optional.empty();
    }
    Advertisement advert =
        new Advertisement(
            packet.version(),
            packet.vrid(),
            packet.priority(),
            packet.advertInterval(),
            packet.addresses(),
            source,
            true);
    return Optional.of(new Delivery(instance, advert));
  }

  /** RFC 3768 §7.1: the auth type must be ours, and with PASS the 8 bytes must match. */
  private boolean authenticates(VrrpPacket packet) {
    Optional<byte[]> ours = config.authData();
    if (ours.isEmpty()) {
      return packet.authType() == VrrpPacket.AuthType.NONE;
    }
    return packet.authType() == VrrpPacket.AuthType.SIMPLE_TEXT_PASSWORD
        && Arrays.equals(packet.authData(), ours.get());
  }

  /** Counted before an instance was known: decode errors and unknown VRIDs. */
  VrrpRunnerCounters counters() {
    return counters;
  }

  private void publish() {
    counters = new VrrpRunnerCounters(Map.of(), decodeDrops, receiveDrops);
  }
}
