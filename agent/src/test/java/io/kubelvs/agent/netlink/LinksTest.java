package io.kubelvs.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubelvs.agent.testing.NetnsLab;
import io.kubelvs.agent.testing.NoLeftoverNamespaces;
import io.kubelvs.agent.testing.Privileges;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Host a's interfaces read through RTM_GETLINK; `ip` and the lab's own numbering are the oracle.
 */
@ExtendWith(NoLeftoverNamespaces.class)
class LinksTest {
  NetnsLab lab;
  NetlinkSocket socket;
  Links links;

  @BeforeEach
  void buildLab() throws Exception {
    Privileges.requireRoot("build a network-namespace lab");
    lab = NetnsLab.create(1);
    socket = lab.host("a").call(() -> NetlinkSocket.open(Netlink.NETLINK_ROUTE));
    links = new Links(socket);
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
  void byNameGivesTheInterfacesIndexAndMac() {
    Link v0 = links.byName("v0");

    assertThat(v0.index()).isEqualTo(lab.host("a").interfaceIndex());
    assertThat(v0.macAddress()).contains(MacAddress.parse("02:00:c6:12:00:0b"));
    assertThat(v0.mtu()).isEqualTo(1500);
    assertThat(links.byIndex(v0.index())).isEqualTo(v0);
  }

  @Test
  void allListsLoopbackAndTheLabInterface() {
    assertThat(links.all()).extracting(Link::name).containsExactlyInAnyOrder("lo", "v0");
  }

  @Test
  void interfaceIsUpAndRunningWhileCabled() {
    assertThat(links.byName("v0").isUsable()).isTrue();
  }

  @Test
  void interfaceSetDownIsNeitherUpNorRunning() {
    lab.host("a").ip("link", "set", "dev", "v0", "down");

    Link v0 = links.byName("v0");
    assertThat(v0.isUp()).isFalse();
    assertThat(v0.isUsable()).isFalse();
  }

  @Test
  void interfaceWithoutCarrierIsUpButNotRunning() {
    lab.host("a").setCarrier(false);

    Link v0 = links.byName("v0");
    assertThat(v0.isUp()).isTrue();
    assertThat(v0.isRunning()).isFalse();
    assertThat(v0.isLowerUp()).isFalse();
  }

  @Test
  void unknownNameIsEnodevNamingIt() {
    assertThatThrownBy(() -> links.byName("v9"))
        .isInstanceOfSatisfying(
            NetlinkException.class, e -> assertThat(e.is(Errno.ENODEV)).isTrue())
        .hasMessageStartingWith("RTM_GETLINK v9: ENODEV (No such device)");
  }

  @Test
  void primaryIpv4AddressStaysTheInterfacesOwnWhenVipsAreAdded() {
    lab.host("a").ip("address", "add", "198.18.0.50/32", "dev", "v0");
    lab.host("a").ip("address", "add", "198.18.0.51/24", "dev", "v0");

    assertThat(links.primaryIpv4Address(links.byName("v0"))).contains(lab.host("a").address());
  }

  @Test
  void interfaceWithoutIpv4AddressHasNoPrimary() {
    assertThat(links.primaryIpv4Address(links.byName("lo")).map(a -> a.getHostAddress()))
        .contains("127.0.0.1");
    lab.host("a").ip("address", "flush", "dev", "v0");

    assertThat(links.primaryIpv4Address(links.byName("v0"))).isEmpty();
  }

  @Test
  void linkLocalIpv6AddressIsTheEui64OfTheMac() throws Exception {
    assertThat(links.linkLocalIpv6Address(links.byName("v0")))
        .contains((java.net.Inet6Address) java.net.InetAddress.getByName("fe80::c6ff:fe12:b"));
  }
}
