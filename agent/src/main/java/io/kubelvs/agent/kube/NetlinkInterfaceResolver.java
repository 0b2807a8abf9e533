package io.kubelvs.agent.kube;

import io.kubelvs.agent.netlink.Addresses;
import io.kubelvs.agent.netlink.CidrAddress;
import io.kubelvs.agent.netlink.Link;
import io.kubelvs.agent.netlink.Links;
import io.kubelvs.agent.netlink.Netlink;
import io.kubelvs.agent.netlink.NetlinkSocket;
import io.kubelvs.agent.netlink.ObservedAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds interfaces by CIDR in the kernel: every interface of the agent's network namespace (the
 * node's, as the agent runs with hostNetwork) whose addresses include one inside the CIDR. Reads
 * only (RTM_GETLINK, RTM_GETADDR) over its own NETLINK_ROUTE socket; use it from one thread at a
 * time and close it.
 */
public final class NetlinkInterfaceResolver implements InterfaceResolver, AutoCloseable {
  private final NetlinkSocket socket;

  private NetlinkInterfaceResolver(NetlinkSocket socket) {
    this.socket = socket;
  }

  /** A resolver over a new NETLINK_ROUTE socket in the caller's network namespace. */
  public static NetlinkInterfaceResolver open() {
    return new NetlinkInterfaceResolver(NetlinkSocket.open(Netlink.NETLINK_ROUTE));
  }

  @Override
  public List<String> interfacesWithAddressIn(CidrAddress cidr) {
    Addresses addresses = new Addresses(socket);
    List<String> names = new ArrayList<>();
    for (Link link : new Links(socket).all()) {
      for (ObservedAddress address : addresses.list(link)) {
        if (contains(cidr, address.address().address())) {
          names.add(link.name());
          break;
        }
      }
    }
    return List.copyOf(names);
  }

  /** Whether {@code address} lies inside {@code cidr}: the same family and the same prefix bits. */
  static boolean contains(CidrAddress cidr, InetAddress address) {
    byte[] network = cidr.address().getAddress();
    byte[] candidate = address.getAddress();
    if (network.length != candidate.length) {
      return false;
    }
    int bits = cidr.prefixLength();
    for (int i = 0; i < network.length && bits > 0; i++, bits -= 8) {
      int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
      if ((network[i] & mask) != (candidate[i] & mask)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    socket.close();
  }
}
