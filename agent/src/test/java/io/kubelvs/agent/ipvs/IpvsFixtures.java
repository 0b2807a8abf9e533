package io.kubelvs.agent.ipvs;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Short names for the values the IPVS tests are written in; addresses are from 198.18.0.0/15. */
final class IpvsFixtures {
  private IpvsFixtures() {}

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  static ServiceKey tcp(String address, int port) {
    return new ServiceKey.Address(IpvsProtocol.TCP, ip(address), port);
  }

  static ServiceKey udp(String address, int port) {
    return new ServiceKey.Address(IpvsProtocol.UDP, ip(address), port);
  }

  static ServiceKey fwmark(AddressFamily family, long mark) {
    return new ServiceKey.Fwmark(family, mark);
  }

  static IpvsService service(ServiceKey key, String scheduler) {
    return IpvsService.of(key, scheduler);
  }

  static Destination nat(String address, int port, int weight) {
    return Destination.of(ip(address), port, Forwarding.NAT, weight);
  }

  static Destination dr(String address, int port, int weight) {
    return Destination.of(ip(address), port, Forwarding.DR, weight);
  }

  static DesiredService desired(IpvsService service, Destination... destinations) {
    return DesiredService.of(service, destinations);
  }

  /** As the kernel reports a service: HASHED always, PERSISTENT with a timeout. */
  static ObservedService observed(IpvsService service) {
    return new ObservedService(FakeIpvsTable.asKernelKeepsIt(service), IpvsStats.ZERO);
  }

  static ObservedDestination observed(Destination destination) {
    return new ObservedDestination(destination, 0, 0, 0, IpvsStats.ZERO);
  }

  static List<ObservedDestination> observed(List<Destination> destinations) {
    return destinations.stream().map(IpvsFixtures::observed).toList();
  }
}
