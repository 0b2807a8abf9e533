package io.kubelvs.agent.ipvs;

import java.net.InetAddress;
import java.util.Objects;

/** What identifies an IPVS virtual service in the kernel: protocol, address and port, or fwmark. */
public sealed interface ServiceKey permits ServiceKey.Address, ServiceKey.Fwmark {

  AddressFamily family();

  /** A service matched by destination address and port: ipvsadm -t / -u / --sctp-service. */
  record Address(IpvsProtocol protocol, InetAddress address, int port) implements ServiceKey {
    public Address {
      Objects.requireNonNull(protocol, "protocol");
      Objects.requireNonNull(address, "address");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " is outside 0-65535");
      }
    }

    @Override
    public AddressFamily family() {
      return AddressFamily.of(address);
    }

    @Override
    public String toString() {
      return Endpoints.format(address, port) + "/" + protocol;
    }
  }

  /** A service matched by firewall mark: ipvsadm -f. */
  record Fwmark(AddressFamily family, long mark) implements ServiceKey {
    public Fwmark {
      Objects.requireNonNull(family, "family");
      if (mark < 1 || mark > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException("fwmark " + mark + " is outside 1-4294967295");
      }
    }

    @Override
    public String toString() {
      return "fwmark " + mark + (family == AddressFamily.INET6 ? "/IPv6" : "/IPv4");
    }
  }

  static ServiceKey tcp(InetAddress address, int port) {
    return new Address(IpvsProtocol.TCP, address, port);
  }
}
