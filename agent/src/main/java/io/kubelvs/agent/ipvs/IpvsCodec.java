package io.kubelvs.agent.ipvs;

import static io.kubelvs.agent.ipvs.IpvsGenl.*;

import io.kubelvs.agent.netlink.AttributeWriter;
import io.kubelvs.agent.netlink.GenericNetlink;
import io.kubelvs.agent.netlink.GenlHeader;
import io.kubelvs.agent.netlink.NetlinkAttribute;
import io.kubelvs.agent.netlink.NetlinkAttributes;
import io.kubelvs.agent.netlink.NetlinkFormatException;
import io.kubelvs.agent.netlink.NetlinkMessage;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Encodes IPVS requests and decodes the kernel's replies; no I/O. Layouts follow
 * include/uapi/linux/ip_vs.h and the kernel's ip_vs_ctl.c: every message is genlmsghdr (cmd,
 * version 1) followed by a nested IPVS_CMD_ATTR_SERVICE and, for destinations, a nested
 * IPVS_CMD_ATTR_DEST. Addresses are a 16-byte union nf_inet_addr, ports network order, the IPv4
 * persistence netmask network order, everything else host order.
 */
final class IpvsCodec {
  /** struct ip_vs_flags { __u32 flags; __u32 mask; }. */
  private static final int FLAGS_LENGTH = 8;

  private static final int ALL_FLAGS = 0xFFFF_FFFF;

  private IpvsCodec() {}

  static NetlinkMessage request(int familyId, int command, AttributeWriter attributes) {
    return GenericNetlink.message(familyId, new GenlHeader(command, IPVS_GENL_VERSION), attributes);
  }

  /** The request that performs one operation. */
  static NetlinkMessage encode(int familyId, IpvsOperation operation) {
    AttributeWriter w = new AttributeWriter();
    return request(familyId, writeOperation(w, operation), w);
  }

  /** Writes the operation's attributes and returns its command (Java 17: no pattern switch). */
  private static int writeOperation(AttributeWriter w, IpvsOperation operation) {
    if (operation instanceof IpvsOperation.AddService op) {
      w.nested(IPVS_CMD_ATTR_SERVICE, s -> writeService(s, op.service()));
      return IPVS_CMD_NEW_SERVICE;
    } else if (operation instanceof IpvsOperation.EditService op) {
      w.nested(IPVS_CMD_ATTR_SERVICE, s -> writeService(s, op.service()));
      return IPVS_CMD_SET_SERVICE;
    } else if (operation instanceof IpvsOperation.DeleteService op) {
      w.nested(IPVS_CMD_ATTR_SERVICE, s -> writeServiceKey(s, op.serviceKey()));
      return IPVS_CMD_DEL_SERVICE;
    } else if (operation instanceof IpvsOperation.AddDestination op) {
      writeDestinationRequest(w, op.serviceKey(), op.destination());
      return IPVS_CMD_NEW_DEST;
    } else if (operation instanceof IpvsOperation.EditDestination op) {
      writeDestinationRequest(w, op.serviceKey(), op.destination());
      return IPVS_CMD_SET_DEST;
    } else if (operation instanceof IpvsOperation.DeleteDestination op) {
      w.nested(IPVS_CMD_ATTR_SERVICE, s -> writeServiceKey(s, op.serviceKey()));
      w.nested(
          IPVS_CMD_ATTR_DEST,
          d -> {
            d.bytes(IPVS_DEST_ATTR_ADDR, nfInetAddr(op.destination().address()));
            d.u16Network(IPVS_DEST_ATTR_PORT, op.destination().port());
          });
      return IPVS_CMD_DEL_DEST;
    }
    throw new IllegalArgumentException("unknown IPVS operation " + operation);
  }

  /** IPVS_CMD_GET_DEST for one service, to be sent as a dump. */
  static NetlinkMessage destinationsQuery(int familyId, ServiceKey key) {
    AttributeWriter w = new AttributeWriter();
    w.nested(IPVS_CMD_ATTR_SERVICE, s -> writeServiceKey(s, key));
    return request(familyId, IPVS_CMD_GET_DEST, w);
  }

  static NetlinkMessage timeoutsRequest(int familyId, IpvsTimeouts timeouts) {
    AttributeWriter w = new AttributeWriter();
    w.u32(IPVS_CMD_ATTR_TIMEOUT_TCP, timeouts.tcpSeconds());
    w.u32(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, timeouts.tcpFinSeconds());
    w.u32(IPVS_CMD_ATTR_TIMEOUT_UDP, timeouts.udpSeconds());
    return request(familyId, IPVS_CMD_SET_CONFIG, w);
  }

  static void writeServiceKey(AttributeWriter w, ServiceKey key) {
    w.u16(IPVS_SVC_ATTR_AF, key.family().value());
    if (key instanceof ServiceKey.Address a) {
      w.u16(IPVS_SVC_ATTR_PROTOCOL, a.protocol().number());
      w.bytes(IPVS_SVC_ATTR_ADDR, nfInetAddr(a.address()));
      w.u16Network(IPVS_SVC_ATTR_PORT, a.port());
    } else if (key instanceof ServiceKey.Fwmark f) {
      w.u32(IPVS_SVC_ATTR_FWMARK, (int) f.mark());
    }
  }

  /** The whole service, as NEW_SERVICE and SET_SERVICE need it (the kernel's "full entry"). */
  static void writeService(AttributeWriter w, IpvsService service) {
    writeServiceKey(w, service.key());
    w.string(IPVS_SVC_ATTR_SCHED_NAME, service.scheduler());
    int flags = service.flags() & ServiceFlags.USER_FLAGS;
    if (service.persistent()) {
      flags |= ServiceFlags.PERSISTENT;
    }
    ByteBuffer f = ByteBuffer.allocate(FLAGS_LENGTH).order(ByteOrder.nativeOrder());
    // Like ipvsadm: the mask covers every bit, so the flags replace the old ones (the kernel
    // puts HASHED back itself).
    f.putInt(flags).putInt(ALL_FLAGS);
    w.bytes(IPVS_SVC_ATTR_FLAGS, f.array());
    w.u32(IPVS_SVC_ATTR_TIMEOUT, service.persistenceTimeoutSeconds());
    if (service.key().family() == AddressFamily.INET) {
      w.u32Network(IPVS_SVC_ATTR_NETMASK, service.netmask());
    } else {
      w.u32(IPVS_SVC_ATTR_NETMASK, service.netmask());
    }
  }

  private static void writeDestinationRequest(
      AttributeWriter w, ServiceKey service, Destination destination) {
    w.nested(IPVS_CMD_ATTR_SERVICE, s -> writeServiceKey(s, service));
    w.nested(IPVS_CMD_ATTR_DEST, d -> writeDestination(d, destination));
  }

  static void writeDestination(AttributeWriter w, Destination d) {
    w.u16(IPVS_DEST_ATTR_ADDR_FAMILY, AddressFamily.of(d.address()).value());
    w.bytes(IPVS_DEST_ATTR_ADDR, nfInetAddr(d.address()));
    w.u16Network(IPVS_DEST_ATTR_PORT, d.port());
    w.u32(IPVS_DEST_ATTR_FWD_METHOD, d.forwarding().flag());
    w.u32(IPVS_DEST_ATTR_WEIGHT, d.weight());
    w.u8(IPVS_DEST_ATTR_TUN_TYPE, d.tunnelType().value());
    w.u16Network(IPVS_DEST_ATTR_TUN_PORT, d.tunnelPort());
    w.u16(IPVS_DEST_ATTR_TUN_FLAGS, d.tunnelFlags());
    w.u32(IPVS_DEST_ATTR_U_THRESH, (int) d.upperThreshold());
    w.u32(IPVS_DEST_ATTR_L_THRESH, (int) d.lowerThreshold());
  }

  /** One message of an IPVS_CMD_GET_SERVICE dump. */
  static ObservedService decodeService(NetlinkMessage message) {
    NetlinkAttributes s =
        message
            .attributes(GenlHeader.LENGTH)
            .require(IPVS_CMD_ATTR_SERVICE, "IPVS_CMD_ATTR_SERVICE")
            .nested();
    AddressFamily family = AddressFamily.ofValue(s.require(IPVS_SVC_ATTR_AF, "AF").u16());
    long fwmark = s.first(IPVS_SVC_ATTR_FWMARK).map(a -> a.u32() & 0xFFFF_FFFFL).orElse(0L);
    ServiceKey key =
        fwmark != 0
            ? new ServiceKey.Fwmark(family, fwmark)
            : new ServiceKey.Address(
                IpvsProtocol.ofNumber(s.require(IPVS_SVC_ATTR_PROTOCOL, "PROTOCOL").u16()),
                address(s.require(IPVS_SVC_ATTR_ADDR, "ADDR"), family),
                s.require(IPVS_SVC_ATTR_PORT, "PORT").u16Network());
    ByteBuffer flags =
        ByteBuffer.wrap(s.require(IPVS_SVC_ATTR_FLAGS, "FLAGS").value())
            .order(ByteOrder.nativeOrder());
    NetlinkAttribute netmask = s.require(IPVS_SVC_ATTR_NETMASK, "NETMASK");
    IpvsService service =
        new IpvsService(
            key,
            s.require(IPVS_SVC_ATTR_SCHED_NAME, "SCHED_NAME").string(),
            flags.getInt(0) & ServiceFlags.USER_FLAGS,
            (flags.getInt(0) & ServiceFlags.PERSISTENT) != 0
                ? s.require(IPVS_SVC_ATTR_TIMEOUT, "TIMEOUT").u32()
                : 0,
            family == AddressFamily.INET ? netmask.u32Network() : netmask.u32());
    return new ObservedService(service, stats(s, IPVS_SVC_ATTR_STATS64, IPVS_SVC_ATTR_STATS));
  }

  /** One message of an IPVS_CMD_GET_DEST dump. */
  static ObservedDestination decodeDestination(NetlinkMessage message, AddressFamily family) {
    NetlinkAttributes d =
        message
            .attributes(GenlHeader.LENGTH)
            .require(IPVS_CMD_ATTR_DEST, "IPVS_CMD_ATTR_DEST")
            .nested();
    AddressFamily destinationFamily =
        d.first(IPVS_DEST_ATTR_ADDR_FAMILY).map(a -> AddressFamily.ofValue(a.u16())).orElse(family);
    Destination destination =
        new Destination(
            address(d.require(IPVS_DEST_ATTR_ADDR, "ADDR"), destinationFamily),
            d.require(IPVS_DEST_ATTR_PORT, "PORT").u16Network(),
            Forwarding.ofFlag(d.require(IPVS_DEST_ATTR_FWD_METHOD, "FWD_METHOD").u32()),
            d.require(IPVS_DEST_ATTR_WEIGHT, "WEIGHT").u32(),
            d.require(IPVS_DEST_ATTR_U_THRESH, "U_THRESH").u32() & 0xFFFF_FFFFL,
            d.require(IPVS_DEST_ATTR_L_THRESH, "L_THRESH").u32() & 0xFFFF_FFFFL,
            d.first(IPVS_DEST_ATTR_TUN_TYPE)
                .map(a -> TunnelType.ofValue(a.u8()))
                .orElse(TunnelType.IPIP),
            d.first(IPVS_DEST_ATTR_TUN_PORT).map(NetlinkAttribute::u16Network).orElse(0),
            d.first(IPVS_DEST_ATTR_TUN_FLAGS).map(NetlinkAttribute::u16).orElse(0));
    return new ObservedDestination(
        destination,
        unsigned(d, IPVS_DEST_ATTR_ACTIVE_CONNS),
        unsigned(d, IPVS_DEST_ATTR_INACT_CONNS),
        unsigned(d, IPVS_DEST_ATTR_PERSIST_CONNS),
        stats(d, IPVS_DEST_ATTR_STATS64, IPVS_DEST_ATTR_STATS));
  }

  static IpvsInfo decodeInfo(NetlinkMessage message) {
    NetlinkAttributes a = message.attributes(GenlHeader.LENGTH);
    return new IpvsInfo(
        a.require(IPVS_INFO_ATTR_VERSION, "IPVS_INFO_ATTR_VERSION").u32(),
        a.require(IPVS_INFO_ATTR_CONN_TAB_SIZE, "IPVS_INFO_ATTR_CONN_TAB_SIZE").u32());
  }

  static IpvsTimeouts decodeTimeouts(NetlinkMessage message) {
    NetlinkAttributes a = message.attributes(GenlHeader.LENGTH);
    return new IpvsTimeouts(
        a.require(IPVS_CMD_ATTR_TIMEOUT_TCP, "TIMEOUT_TCP").u32(),
        a.require(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, "TIMEOUT_TCP_FIN").u32(),
        a.require(IPVS_CMD_ATTR_TIMEOUT_UDP, "TIMEOUT_UDP").u32());
  }

  /** Prefers the 64-bit counters; kernels before 4.1 send only the 32-bit ones. */
  private static IpvsStats stats(NetlinkAttributes parent, int stats64, int stats32) {
    NetlinkAttribute nested = parent.first(stats64).or(() -> parent.first(stats32)).orElse(null);
    if (nested == null) {
      return IpvsStats.ZERO;
    }
    boolean wide = nested.type() == stats64;
    NetlinkAttributes s = nested.nested();
    long[] v = new long[IPVS_STATS_ATTR_OUTBPS + 1];
    for (NetlinkAttribute a : s.all()) {
      if (a.type() >= IPVS_STATS_ATTR_CONNS && a.type() <= IPVS_STATS_ATTR_OUTBPS) {
        v[a.type()] = wide ? a.u64() : a.u32() & 0xFFFF_FFFFL;
      }
    }
    return new IpvsStats(
        v[IPVS_STATS_ATTR_CONNS],
        v[IPVS_STATS_ATTR_INPKTS],
        v[IPVS_STATS_ATTR_OUTPKTS],
        v[IPVS_STATS_ATTR_INBYTES],
        v[IPVS_STATS_ATTR_OUTBYTES],
        v[IPVS_STATS_ATTR_CPS],
        v[IPVS_STATS_ATTR_INPPS],
        v[IPVS_STATS_ATTR_OUTPPS],
        v[IPVS_STATS_ATTR_INBPS],
        v[IPVS_STATS_ATTR_OUTBPS]);
  }

  private static long unsigned(NetlinkAttributes a, int type) {
    return a.first(type).map(x -> x.u32() & 0xFFFF_FFFFL).orElse(0L);
  }

  /** union nf_inet_addr: the address's bytes at the start of 16. */
  static byte[] nfInetAddr(InetAddress address) {
    return Arrays.copyOf(address.getAddress(), NF_INET_ADDR_LENGTH);
  }

  private static InetAddress address(NetlinkAttribute attribute, AddressFamily family) {
    byte[] raw = attribute.value();
    if (raw.length < family.addressLength()) {
      throw new NetlinkFormatException(
          "IPVS address attribute of " + raw.length + " bytes is too short for " + family);
    }
    try {
      return InetAddress.getByAddress(Arrays.copyOf(raw, family.addressLength()));
    } catch (UnknownHostException e) {
      throw new NetlinkFormatException("IPVS address attribute: " + e.getMessage());
    }
  }
}
