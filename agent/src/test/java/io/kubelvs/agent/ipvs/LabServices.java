package io.kubelvs.agent.ipvs;

import static io.kubelvs.agent.ipvs.IpvsFixtures.ip;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** Desired services for kernel tests and the benchmark, all in 198.18.0.0/15. */
final class LabServices {
  private LabServices() {}

  /** The i-th VIP: 198.18.(i / 250).(1 + i % 250), i < 64000. */
  static InetAddress vip(int i) {
    return ip("198.18.%d.%d".formatted(i / 250, 1 + i % 250));
  }

  /** {@code count} TCP services on port 80, rr, each with {@code reals} DR real servers. */
  static List<DesiredService> services(int count, int reals) {
    List<DesiredService> services = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ServiceKey key = ServiceKey.tcp(vip(i), 80);
      List<Destination> destinations = new ArrayList<>(reals);
      for (int r = 0; r < reals; r++) {
        destinations.add(
            Destination.of(ip("198.19.%d.%d".formatted(r, 1 + i % 250)), 80, Forwarding.DR, 1));
      }
      services.add(new DesiredService(IpvsService.of(key, "rr"), destinations));
    }
    return services;
  }
}
