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

/** VIPs added to and removed from host a's v0 in a network-namespace lab; `ip` is the oracle. */
@ExtendWith(NoLeftoverNamespaces.class)
class AddressesTest {
  static final CidrAddress VIP = CidrAddress.parse("198.18.0.50/32");
  static final CidrAddress PRIMARY = CidrAddress.parse("198.18.0.11/24");

  NetnsLab lab;
  NetlinkSocket socket;
  Addresses addresses;
  Link v0;

  @BeforeEach
  void buildLab() throws Exception {
    Privileges.requireRoot("build a network-namespace lab and change addresses in it");
    lab = NetnsLab.create(1);
    socket = lab.host("a").call(() -> NetlinkSocket.open(Netlink.NETLINK_ROUTE));
    addresses = new Addresses(socket);
    v0 = new Links(socket).byName("v0");
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
  void addedVipIsListedAfterThePrimaryAddress() {
    addresses.add(v0, VIP);

    assertThat(ipv4()).containsExactly(PRIMARY, VIP);
    assertThat(lab.host("a").ip("-4", "-o", "address", "show", "dev", "v0"))
        .contains("inet 198.18.0.50/32 scope global v0");
  }

  @Test
  void addingItAgainIsEexistNamingAddressAndInterface() {
    addresses.add(v0, VIP);

    assertThatThrownBy(() -> addresses.add(v0, VIP))
        .isInstanceOfSatisfying(
            NetlinkException.class, e -> assertThat(e.is(Errno.EEXIST)).isTrue())
        .hasMessageStartingWith("RTM_NEWADDR 198.18.0.50/32 on v0: EEXIST (File exists)");
  }

  @Test
  void addingAnAddressSomeoneElseAddedIsEexistSoItIsNotTakenOver() {
    lab.host("a").ip("address", "add", "198.18.0.50/32", "dev", "v0");

    assertThatThrownBy(() -> addresses.add(v0, VIP))
        .isInstanceOfSatisfying(
            NetlinkException.class, e -> assertThat(e.is(Errno.EEXIST)).isTrue());
  }

  @Test
  void removingTheVipLeavesExactlyThePrimaryAddress() {
    addresses.add(v0, VIP);

    addresses.remove(v0, VIP);

    assertThat(ipv4()).containsExactly(PRIMARY);
    assertThat(lab.host("a").ip("-4", "-o", "address", "show", "dev", "v0"))
        .contains("inet 198.18.0.11/24")
        .doesNotContain("198.18.0.50");
  }

  @Test
  void removingAnAddressThatIsNotThereIsEaddrnotavailNamingIt() {
    assertThatThrownBy(() -> addresses.remove(v0, VIP))
        .isInstanceOfSatisfying(
            NetlinkException.class, e -> assertThat(e.is(Errno.EADDRNOTAVAIL)).isTrue())
        .hasMessageStartingWith("RTM_DELADDR 198.18.0.50/32 on v0: EADDRNOTAVAIL");
  }

  @Test
  void removingWithAnotherPrefixLengthLeavesTheAddress() {
    addresses.add(v0, VIP);

    assertThatThrownBy(() -> addresses.remove(v0, CidrAddress.parse("198.18.0.50/24")))
        .isInstanceOf(NetlinkException.class);
    assertThat(ipv4()).contains(VIP);
  }

  @Test
  void ipv6VipIsUsableAtOnceWithoutDuplicateAddressDetection() {
    lab.host("a").sysctl("net.ipv6.conf.v0.accept_dad", "1");
    CidrAddress vip6 = CidrAddress.parse("2001:2::50/128");

    addresses.add(v0, vip6);

    ObservedAddress listed =
        addresses.list(v0).stream().filter(a -> a.address().equals(vip6)).findFirst().orElseThrow();
    assertThat(listed.isTentative()).isFalse();
    assertThat(listed.flags() & Rtnetlink.IFA_F_NODAD).isNotZero();
    addresses.remove(v0, vip6);
    assertThat(addresses.list(v0)).extracting(ObservedAddress::address).doesNotContain(vip6);
  }

  java.util.List<CidrAddress> ipv4() {
    return addresses.list(v0).stream()
        .filter(ObservedAddress::isIpv4)
        .map(ObservedAddress::address)
        .toList();
  }
}
