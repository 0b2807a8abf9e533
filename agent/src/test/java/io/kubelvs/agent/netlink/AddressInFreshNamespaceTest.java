package io.kubelvs.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubelvs.agent.testing.FreshNetworkNamespace;
import io.kubelvs.agent.testing.Privileges;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Writes (RTM_NEWADDR) through a socket that lives in a fresh network namespace of its own, so the
 * host's addresses are never touched; the namespace vanishes when the socket is closed.
 */
class AddressInFreshNamespaceTest {
  static final int LOOPBACK = 1;

  NetlinkSocket socket;

  @BeforeEach
  void openInFreshNamespace() throws Exception {
    Privileges.requireRoot("create a network namespace and add addresses in it");
    socket = FreshNetworkNamespace.call(() -> NetlinkSocket.open(Netlink.NETLINK_ROUTE));
  }

  @AfterEach
  void close() {
    if (socket != null) {
      socket.close();
    }
  }

  @Test
  void addedAddressShowsUpInTheNamespaceOnly() throws Exception {
    socket.request(newAddress("198.18.0.50", 0), "RTM_NEWADDR 198.18.0.50/32 on lo");

    assertThat(addresses(socket)).contains(InetAddress.getByName("198.18.0.50"));
    try (NetlinkSocket host = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
      assertThat(addresses(host)).doesNotContain(InetAddress.getByName("198.18.0.50"));
    }
  }

  @Test
  void addingAnExistingAddressExclusivelyIsEexistNamingAddressAndLink() {
    String operation = "RTM_NEWADDR 198.18.0.50/32 on lo";
    socket.request(newAddress("198.18.0.50", 0), operation);

    assertThatThrownBy(() -> socket.request(newAddress("198.18.0.50", 0), operation))
        .isInstanceOfSatisfying(
            NetlinkException.class, e -> assertThat(e.is(Errno.EEXIST)).isTrue())
        .hasMessageStartingWith("RTM_NEWADDR 198.18.0.50/32 on lo: EEXIST (File exists)");
  }

  @Test
  void batchWithARefusalInTheMiddleAppliesTheRest() throws Exception {
    List<NetlinkReply> replies =
        socket.requestAll(
            List.of(
                new NetlinkRequest(newAddress("198.18.0.51", 0), "198.18.0.51"),
                new NetlinkRequest(newAddress("198.18.0.51", 0), "198.18.0.51 again"),
                new NetlinkRequest(newAddress("198.18.0.52", 0), "198.18.0.52")));

    assertThat(replies).extracting(NetlinkReply::failed).containsExactly(false, true, false);
    assertThat(replies.get(1).error().errnoName()).isEqualTo("EEXIST");
    assertThat(addresses(socket))
        .contains(InetAddress.getByName("198.18.0.51"), InetAddress.getByName("198.18.0.52"));
  }

  @Test
  void kernelExplanationIsCarriedWhenItSendsOne() {
    // A /33 IPv4 prefix: the kernel refuses it with EINVAL and says why (extended ACK).
    NetlinkMessage invalid = newAddress("198.18.0.53", 33 - 32);

    assertThatThrownBy(() -> socket.request(invalid, "RTM_NEWADDR 198.18.0.53/33 on lo"))
        .isInstanceOfSatisfying(
            NetlinkException.class,
            e -> {
              assertThat(e.is(Errno.EINVAL)).isTrue();
              assertThat(e.kernelMessage()).isPresent();
              assertThat(e.getMessage()).contains("; kernel says: " + e.kernelMessage().get());
            })
        .hasMessageStartingWith("RTM_NEWADDR 198.18.0.53/33 on lo: EINVAL (Invalid argument)");
  }

  /** 198.18.x.y/(32 + extraPrefix) on lo, exclusive create like {@code ip address add}. */
  static NetlinkMessage newAddress(String address, int extraPrefix) {
    InetAddress inet = parse(address);
    byte[] payload =
        new AttributeWriter()
            .header(
                new IfAddrMessage(
                        LibC.AF_INET, 32 + extraPrefix, 0, Rtnetlink.RT_SCOPE_HOST, LOOPBACK)
                    .encode())
            .address(Rtnetlink.IFA_LOCAL, inet)
            .address(Rtnetlink.IFA_ADDRESS, inet)
            .toByteArray();
    return NetlinkMessage.request(
        Rtnetlink.RTM_NEWADDR, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, payload);
  }

  static List<InetAddress> addresses(NetlinkSocket socket) {
    byte[] query = new IfAddrMessage(LibC.AF_INET, 0, 0, 0, 0).encode();
    return socket
        .dump(NetlinkMessage.request(Rtnetlink.RTM_GETADDR, 0, query), "RTM_GETADDR dump")
        .stream()
        .map(
            m ->
                m.attributes(IfAddrMessage.LENGTH)
                    .require(Rtnetlink.IFA_LOCAL, "IFA_LOCAL")
                    .address())
        .toList();
  }

  static InetAddress parse(String address) {
    try {
      return InetAddress.getByName(address);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(address, e);
    }
  }
}
