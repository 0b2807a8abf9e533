package io.kubelvs.agent.ipvs;

import static io.kubelvs.agent.ipvs.IpvsFixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubelvs.agent.ipvs.IpvsOperation.AddDestination;
import io.kubelvs.agent.ipvs.IpvsOperation.AddService;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Counters as the kernel keeps them: a client in a namespace of its own opens connections to the
 * VIP, IPVS schedules them, and the client's statistics match ipvsadm's exact ones.
 */
@Tag("ipvs-kernel")
class IpvsStatsKernelTest {
  private static final String CLIENT_NS = "kubelvs-stats-client";
  private static final ServiceKey WEB = ServiceKey.tcp(ip("198.18.0.50"), 80);

  private IpvsClient ipvs;

  @BeforeEach
  void labWithAClientNamespace() {
    Ipvsadm.clear();
    sh(
        "ip netns add " + CLIENT_NS,
        "ip link add kubelvs-dir type veth peer name kubelvs-cli netns " + CLIENT_NS,
        "ip addr add 198.18.100.1/24 dev kubelvs-dir && ip link set kubelvs-dir up",
        "ip addr add 198.18.0.50/32 dev lo",
        "ip netns exec " + CLIENT_NS + " ip addr add 198.18.100.2/24 dev kubelvs-cli",
        "ip netns exec " + CLIENT_NS + " ip link set kubelvs-cli up",
        "ip netns exec " + CLIENT_NS + " ip route add 198.18.0.50/32 via 198.18.100.1");
    ipvs = IpvsClient.open();
  }

  @AfterEach
  void removeLab() {
    ipvs.close();
    sh(
        "ip netns del " + CLIENT_NS + " || true",
        "ip link del kubelvs-dir 2>/dev/null || true",
        "ip addr del 198.18.0.50/32 dev lo || true");
  }

  @Test
  void countersOfScheduledConnectionsMatchIpvsadm() {
    ipvs.apply(
        List.of(
            new AddService(IpvsService.of(WEB, "rr")),
            // No host answers at .3: each SYN is scheduled and counted, then goes unanswered.
            new AddDestination(WEB, Destination.of(ip("198.18.100.3"), 80, Forwarding.DR, 1))));

    for (int i = 0; i < 3; i++) {
      sh(
          "ip netns exec "
              + CLIENT_NS
              + " timeout 2 bash -c 'exec 3<>/dev/tcp/198.18.0.50/80' || true");
    }

    // Late retransmissions may still arrive: compare once ipvsadm reads the same before and
    // after our read, so both readers saw the same moment.
    for (int attempt = 1; ; attempt++) {
      String before = Ipvsadm.run("-Ln", "--stats", "--exact");
      IpvsStats service = ipvs.services().get(0).stats();
      IpvsStats destination = ipvs.destinations(WEB).get(0).stats();
      String after = Ipvsadm.run("-Ln", "--stats", "--exact");
      if (!before.equals(after) && attempt < 20) {
        sleep(500);
        continue;
      }
      // How many SYNs get scheduled varies (once the director's ARP for .3 has failed, later
      // ones may be answered "no route" at once); that both readers count them alike does not.
      assertThat(service.connections()).isPositive();
      assertThat(service.inBytes()).isGreaterThanOrEqualTo(60 * service.connections());
      assertThat(counters(service)).containsExactly(exactCounters(after, "TCP  198.18.0.50:80"));
      assertThat(counters(destination))
          .containsExactly(exactCounters(after, "  -> 198.18.100.3:80"));
      return;
    }
  }

  private static long[] counters(IpvsStats s) {
    return new long[] {s.connections(), s.inPackets(), s.outPackets(), s.inBytes(), s.outBytes()};
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Conns InPkts OutPkts InBytes OutBytes of the line starting with {@code prefix}. */
  private static long[] exactCounters(String stats, String prefix) {
    for (String line : stats.lines().toList()) {
      if (line.startsWith(prefix)) {
        Matcher m =
            Pattern.compile("(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s*$").matcher(line);
        assertThat(m.find()).as("counters in %s", line).isTrue();
        long[] v = new long[5];
        for (int i = 0; i < 5; i++) {
          v[i] = Long.parseLong(m.group(i + 1));
        }
        return v;
      }
    }
    throw new AssertionError("no line " + prefix + " in:\n" + stats);
  }

  private static void sh(String... commands) {
    String script = String.join(" && ", commands);
    try {
      Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(script + " failed: " + out);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
