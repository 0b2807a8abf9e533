package io.kubelvs.agent.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The forms {@code --http} takes. */
class ListenAddressTest {

  @Test
  void anIpv4AddressAndPort() throws Exception {
    assertThat(ListenAddress.parse("127.0.0.1:9650"))
        .contains(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9650));
  }

  @Test
  void anIpv6AddressInBrackets() throws Exception {
    assertThat(ListenAddress.parse("[::1]:0"))
        .contains(new InetSocketAddress(InetAddress.getByName("::1"), 0));
  }

  @Test
  void aPortAloneListensOnEveryAddress() {
    InetSocketAddress address = ListenAddress.parse(ListenAddress.DEFAULT).orElseThrow();

    assertThat(address.getAddress().isAnyLocalAddress()).isTrue();
    assertThat(address.getPort()).isEqualTo(9650);
  }

  @Test
  void offMeansNoEndpoints() {
    assertThat(ListenAddress.parse("off")).isEmpty();
  }

  @Test
  void namesAndBadPortsAreRefusedWithTheForm() {
    assertThatThrownBy(() -> ListenAddress.parse("localhost:9650"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ADDRESS:PORT");
    assertThatThrownBy(() -> ListenAddress.parse("9650")).hasMessageContaining("ADDRESS:PORT");
    assertThatThrownBy(() -> ListenAddress.parse("0.0.0.0:70000"))
        .hasMessage("port 70000 is outside 0-65535");
    assertThatThrownBy(() -> ListenAddress.parse("::1:9650")).hasMessageContaining("ADDRESS:PORT");
  }
}
