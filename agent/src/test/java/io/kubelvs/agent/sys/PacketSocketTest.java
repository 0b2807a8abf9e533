package io.kubelvs.agent.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubelvs.agent.netlink.MacAddress;
import io.kubelvs.agent.testing.Hex;
import io.kubelvs.agent.testing.NetnsLab;
import io.kubelvs.agent.testing.NoLeftoverNamespaces;
import io.kubelvs.agent.testing.Privileges;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Gratuitous ARP frames sent from host a through a packet socket, seen in host b's neighbours. */
@ExtendWith(NoLeftoverNamespaces.class)
class PacketSocketTest {
  static final InetAddress VIP = RawIpSocketTest.address("198.18.0.50");
  static final Duration WAIT = Duration.ofSeconds(2);

  /** keepalived 2.2.7's GARP for 198.18.0.50 from 02:00:c6:12:00:0b (vectors/garp-keepalived). */
  static final byte[] KEEPALIVED_GARP =
      Hex.bytes(
          "ffffffffffff 0200c612000b 0806 0001 0800 06 04 0001"
              + " 0200c612000b c6120032 ffffffffffff c6120032");

  NetnsLab lab;
  PacketSocket socket;

  @BeforeEach
  void buildLab() throws Exception {
    Privileges.requireRoot("build a network-namespace lab and open a packet socket in it");
    lab = NetnsLab.create(2);
    NetnsLab.Host a = lab.host("a");
    socket = a.call(() -> PacketSocket.open(a.interfaceName(), a.interfaceIndex()));
  }

  @AfterEach
  void tearDown() {
    if (socket != null) {
      socket.close();
    }
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void gratuitousArpMovesAStaleNeighbourEntryToTheSender() throws Exception {
    NetnsLab.Host b = lab.host("b");
    b.ip(
        "neigh",
        "replace",
        "198.18.0.50",
        "lladdr",
        "02:00:00:00:00:99",
        "dev",
        "v0",
        "nud",
        "stale");

    socket.send(gratuitousArp(lab.host("a").mac(), VIP));

    awaitNeighbour(b, lab.host("a").mac());
  }

  @Test
  void gratuitousArpCreatesAnEntryWhereArpAcceptIsOn() throws Exception {
    NetnsLab.Host b = lab.host("b");
    b.sysctl("net.ipv4.conf.v0.arp_accept", "1");

    socket.send(gratuitousArp(lab.host("a").mac(), VIP));

    awaitNeighbour(b, lab.host("a").mac());
  }

  @Test
  void frameBuiltHereIsTheOneKeepalivedSends() {
    assertThat(gratuitousArp(lab.host("a").mac(), VIP)).isEqualTo(KEEPALIVED_GARP);
  }

  @Test
  void sendingOnAnInterfaceThatIsDownFailsNamingIt() {
    lab.host("a").ip("link", "set", "dev", "v0", "down");

    assertThatThrownBy(() -> socket.send(KEEPALIVED_GARP))
        .isInstanceOfSatisfying(
            SyscallException.class, e -> assertThat(e.errnoName()).isEqualTo("ENETDOWN"))
        .hasMessage("sendto(42-byte frame of EtherType 0x0806 on v0): ENETDOWN (Network is down)");
  }

  static void awaitNeighbour(NetnsLab.Host host, MacAddress expected) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String entry = "";
    while (System.nanoTime() < deadline) {
      entry = host.ip("neigh", "show", "198.18.0.50", "dev", "v0");
      if (entry.contains("lladdr " + expected)) {
        return;
      }
      Thread.sleep(10);
    }
    assertThat(entry)
        .as("neighbour entry for 198.18.0.50 in " + host)
        .contains("lladdr " + expected);
  }

  /**
   * A gratuitous ARP as keepalived sends it: an ARP request (RFC 826) broadcast, sender and target
   * IP both the VIP, target hardware address all ones.
   */
  static byte[] gratuitousArp(MacAddress sender, InetAddress vip) {
    return ByteBuffer.allocate(42)
        .put(MacAddress.BROADCAST.bytes())
        .put(sender.bytes())
        .putShort((short) 0x0806) // EtherType ARP
        .putShort((short) 1) // hardware type Ethernet
        .putShort((short) 0x0800) // protocol type IPv4
        .put((byte) 6) // hardware address length
        .put((byte) 4) // protocol address length
        .putShort((short) 1) // operation: request
        .put(sender.bytes())
        .put(vip.getAddress())
        .put(MacAddress.BROADCAST.bytes())
        .put(vip.getAddress())
        .array();
  }
}
